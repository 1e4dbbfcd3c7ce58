import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { FindingsFile } from '../../src/model.js';
import { loadRules } from '../../src/rules/load.js';
import { generateSampleOrg, DEFAULT_DATE, type SampleResult } from '../../src/samples/generate.js';
import { scanLocal } from '../../src/scan.js';
import { silentLogger } from '../../src/shared/log.js';
import { PROJECT_ROOT } from '../../src/shared/version.js';
import { dayWindow } from '../../src/shared/window.js';

let sample: SampleResult;
let doc: FindingsFile;
let logs: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tw-sample-'));
  logs = join(dir, 'logs');
  sample = await generateSampleOrg(logs);
  const { config } = await loadConfig(join(PROJECT_ROOT, 'samples', 'trailwatch.demo.yaml'));
  const result = await scanLocal({
    logs: join(logs, 'AWSLogs'),
    window: dayWindow(DEFAULT_DATE),
    config,
    outDir: join(dir, 'out'),
    log: silentLogger,
  });
  doc = result.doc;
}, 180_000);

describe('scan of the sample organization', () => {
  it('reads every generated event and completes', () => {
    expect(doc.run.eventsRead).toBe(sample.events);
    expect(doc.errors.filter((e) => e.severity !== 'warning')).toEqual([]);
    expect(doc.run.rules.every((r) => r.status === 'ran')).toBe(true);
  });

  it('produces at least one finding for every rule of the catalogue', async () => {
    const fired = new Set(doc.findings.map((f) => f.ruleId));
    const missing = (await loadRules()).map((r) => r.id).filter((id) => !fired.has(id));
    expect(missing).toEqual([]);
  });

  it("fires each rule on the incident's events meant for it", () => {
    for (const [ruleId, ids] of Object.entries(sample.incident)) {
      const behind = new Set(
        doc.findings.filter((f) => f.ruleId === ruleId).flatMap((f) => f.eventIds ?? [f.eventId]),
      );
      expect.soft(ids.filter((id) => behind.has(id)).length, ruleId).toBeGreaterThan(0);
    }
  });

  it('raises nothing from the noise: every finding rests on an event of the incident story', () => {
    // An aggregate (a principal's refused calls) may also count that principal's ordinary noise events.
    const incident = new Set(Object.values(sample.incident).flat());
    const fromNoise = doc.findings
      .filter((f) => !(f.eventIds ?? [f.eventId]).some((id) => id !== null && incident.has(id)))
      .map((f) => `${f.ruleId}: ${f.summary}`);
    expect(fromNoise).toEqual([]);
  });

  it('does not fire on the near-misses (read-only twins, failed attempts, service events)', () => {
    for (const [ruleId, ids] of Object.entries(sample.nearMisses)) {
      const behind = new Set(
        doc.findings.filter((f) => f.ruleId === ruleId).flatMap((f) => f.eventIds ?? [f.eventId]),
      );
      expect
        .soft(
          ids.filter((id) => behind.has(id)),
          ruleId,
        )
        .toEqual([]);
    }
  });

  it('writes findings.json with the contract fields', async () => {
    const written = JSON.parse(
      await readFile(join(logs, '..', 'out', 'findings.json'), 'utf8'),
    ) as FindingsFile;
    const f = written.findings[0];
    expect(Object.keys(f ?? {})).toEqual(
      expect.arrayContaining([
        'ruleId',
        'tier',
        'risk',
        'eventId',
        'eventTime',
        'accountId',
        'region',
        'eventSource',
        'eventName',
        'principal',
        'sourceIp',
        'userAgent',
        'summary',
        'suppressed',
      ]),
    );
  });
});
