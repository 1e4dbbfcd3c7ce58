import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SNAPSHOT } from '../../src/cli/demo.js';
import { loadConfig } from '../../src/config/load.js';
import { coverageForRun } from '../../src/coverage-input.js';
import type { FindingsFile } from '../../src/model.js';
import { loadRules } from '../../src/rules/load.js';
import { generateSampleOrg, DEFAULT_DATE, type SampleResult } from '../../src/samples/generate.js';
import { scanLocal } from '../../src/scan.js';
import { silentLogger } from '../../src/shared/log.js';
import { PROJECT_ROOT } from '../../src/shared/version.js';
import { dayWindow } from '../../src/shared/window.js';
import { auditCoverage } from '../../src/trails/index.js';
import { detectionFindingProblems } from '../support/ocsf-validate.js';

let sample: SampleResult;
let doc: FindingsFile;
let logs: string;
let outDir: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tw-sample-'));
  logs = join(dir, 'logs');
  sample = await generateSampleOrg(logs);
  const { config } = await loadConfig(join(PROJECT_ROOT, 'samples', 'trailwatch.demo.yaml'));
  outDir = join(dir, 'out');
  // As the demo runs it: coverage from the demo organization's snapshot, then the scan.
  const audit = await auditCoverage(config, silentLogger, { snapshotFile: DEMO_SNAPSHOT });
  const result = await scanLocal({
    logs: join(logs, 'AWSLogs'),
    window: dayWindow(DEFAULT_DATE),
    config,
    outDir,
    log: silentLogger,
    coverage: await coverageForRun(audit, outDir),
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
        'consoleUrl',
        'suppressed',
      ]),
    );
  });

  it('writes findings.ocsf.json: every finding and coverage problem as a Detection Finding that meets the OCSF schema', async () => {
    const events = JSON.parse(await readFile(join(outDir, 'findings.ocsf.json'), 'utf8')) as Record<
      string,
      unknown
    >[];
    expect(doc.coverage.length).toBeGreaterThan(0);
    expect(events).toHaveLength(doc.findings.length + doc.coverage.length);
    const problems = events.flatMap((e, i) => detectionFindingProblems(e).map((p) => `[${i}] ${p}`));
    expect(problems).toEqual([]);
    const uids = events.map((e) => (e.finding_info as { uid: string }).uid);
    expect(new Set(uids).size).toBe(uids.length);
    // Rules that name ATT&CK techniques carry them.
    const tampering = events.find(
      (e) => (e.finding_info as { analytic: { uid: string } }).analytic.uid === 'trail-tampering',
    );
    expect(tampering?.finding_info).toMatchObject({ attacks: [{ sub_technique: { uid: 'T1562.008' } }] });
  });

  it('writes the full finding list as CSV and JSON Lines, each finding with its console link', async () => {
    const jsonl = (await readFile(join(outDir, 'findings.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(jsonl.map((l) => JSON.parse(l) as unknown)).toEqual(doc.findings);
    const csv = (await readFile(join(outDir, 'findings.csv'), 'utf8')).trimEnd().split('\r\n');
    expect(csv).toHaveLength(doc.findings.length + 1);
    const withEvent = doc.findings.filter((f) => f.eventId && f.region);
    expect(withEvent.length).toBeGreaterThan(0);
    for (const f of withEvent) {
      expect(f.consoleUrl).toBe(
        `https://${f.region}.console.aws.amazon.com/cloudtrail/home?region=${f.region}#/events/${f.eventId}`,
      );
    }
    const manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as {
      files: { file: string }[];
    };
    expect(manifest.files.map((f) => f.file)).toEqual(
      expect.arrayContaining(['findings.ocsf.json', 'findings.csv', 'findings.jsonl']),
    );
  });
});
