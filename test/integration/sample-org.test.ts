import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SNAPSHOT } from '../../src/cli/demo.js';
import { loadConfig } from '../../src/config/load.js';
import { folderHistory } from '../../src/deliver/history-file.js';
import { findingsDocument, type Finding, type FindingsFile } from '../../src/model.js';
import { runAudit } from '../../src/run.js';
import { loadRules } from '../../src/rules/load.js';
import { generateSampleOrg, type SampleResult } from '../../src/samples/generate.js';
import { silentLogger } from '../../src/shared/log.js';
import { PROJECT_ROOT } from '../../src/shared/version.js';
import { dayWindow } from '../../src/shared/window.js';
import { detectionFindingProblems } from '../support/ocsf-validate.js';

let sample: SampleResult;
/** The two days' runs, in order; the second judged against the history the first left in its bundle. */
let docs: FindingsFile[];
let doc: FindingsFile;
let outDir: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tw-sample-'));
  const logs = join(dir, 'logs');
  sample = await generateSampleOrg(logs);
  const { config } = await loadConfig(join(PROJECT_ROOT, 'samples', 'trailwatch.demo.yaml'));
  // As the demo runs it: coverage from the demo organization's snapshot, then the scan, day after day.
  docs = [];
  let previous: string | undefined;
  for (const day of sample.days) {
    outDir = join(dir, `out-${day.date}`);
    const { run } = await runAudit(
      {
        config,
        window: dayWindow(day.date),
        coverage: { from: 'snapshot', file: DEMO_SNAPSHOT },
        logs: join(logs, 'AWSLogs'),
        outDir,
        output: 'bundle',
        report: false,
        deliveries: { email: false, s3: false, webhook: false, jobSummary: false },
        ...(previous ? { history: folderHistory(previous) } : {}),
      },
      { log: silentLogger },
    );
    docs.push(findingsDocument(run));
    previous = outDir;
  }
  doc = docs[1] as FindingsFile;
}, 300_000);

/** The ids behind a finding. */
const behind = (f: Finding): string[] =>
  (f.eventIds ?? [f.eventId]).filter((id): id is string => id !== null);

describe('scan of the sample organization, day by day', () => {
  it('reads every generated event of each day and completes', () => {
    expect(docs.map((d) => d.run.eventsRead)).toEqual(sample.days.map((d) => d.events));
    for (const d of docs) {
      expect(d.errors.filter((e) => e.severity !== 'warning')).toEqual([]);
      expect(d.run.rules.every((r) => r.status === 'ran')).toBe(true);
    }
  });

  it('produces at least one finding for every rule of the catalogue over the two days', async () => {
    const fired = new Set(docs.flatMap((d) => d.findings.map((f) => f.ruleId)));
    const missing = (await loadRules()).map((r) => r.id).filter((id) => !fired.has(id));
    expect(missing).toEqual([]);
  });

  it("fires each rule on each day's events meant for it", () => {
    sample.days.forEach((day, i) => {
      for (const [ruleId, ids] of Object.entries(day.incident)) {
        const found = new Set(docs[i]?.findings.filter((f) => f.ruleId === ruleId).flatMap(behind));
        expect.soft(ids.filter((id) => found.has(id)).length, `${day.date} ${ruleId}`).toBeGreaterThan(0);
      }
    });
  });

  it('raises nothing from the noise: every finding rests on an event of its day’s story', () => {
    // An aggregate (a principal's refused calls) may also count that principal's ordinary noise events.
    sample.days.forEach((day, i) => {
      const story = new Set(Object.values(day.incident).flat());
      const fromNoise = (docs[i]?.findings ?? [])
        .filter((f) => !behind(f).some((id) => story.has(id)))
        .map((f) => `${day.date} ${f.ruleId}: ${f.summary}`);
      expect(fromNoise).toEqual([]);
    });
  });

  it('does not fire on the near-misses (read-only twins, failed attempts, service events)', () => {
    sample.days.forEach((day, i) => {
      for (const [ruleId, ids] of Object.entries(day.nearMisses)) {
        const found = new Set(docs[i]?.findings.filter((f) => f.ruleId === ruleId).flatMap(behind));
        expect
          .soft(
            ids.filter((id) => found.has(id)),
            `${day.date} ${ruleId}`,
          )
          .toEqual([]);
      }
    });
  });

  it('marks the first day unknown (no history yet), and on the second the routine recurring and the attack new', () => {
    expect(docs[0]?.run.history).toMatchObject({ date: '2026-11-19', previousDays: 0, source: null });
    expect(new Set(docs[0]?.findings.map((f) => f.novelty))).toEqual(new Set(['unknown']));
    expect(doc.run.history).toMatchObject({ date: '2026-11-20', days: 14, previousDays: 1 });
    const [, second] = sample.days;
    const routine = new Set(second?.routine);
    const attack = new Set(second?.attack);
    const ofRoutine = doc.findings.filter((f) => behind(f).some((id) => routine.has(id)));
    const ofAttack = doc.findings.filter((f) => behind(f).some((id) => attack.has(id)));
    expect(ofRoutine.length).toBeGreaterThan(10);
    expect(
      ofRoutine.filter((f) => f.novelty !== 'recurring').map((f) => `${f.ruleId} ${f.eventName}`),
    ).toEqual([]);
    expect(ofAttack.length).toBeGreaterThan(20);
    expect(ofAttack.filter((f) => f.novelty !== 'new').map((f) => `${f.ruleId} ${f.eventName}`)).toEqual([]);
  });

  it("calls out root's source IP, never seen in the history, and not the lead's office address", () => {
    const rootSignIn = doc.findings.find(
      (f) => f.ruleId === 'console-login' && f.principal?.endsWith(':root'),
    );
    expect(rootSignIn).toMatchObject({ sourceIp: '45.155.205.12', newSourceIp: true, novelty: 'new' });
    const lead = doc.findings.filter(
      (f) => f.ruleId === 'console-login' && f.principal?.endsWith('/maria.garcia'),
    );
    expect(lead.length).toBeGreaterThan(0);
    expect(lead.every((f) => f.novelty === 'recurring' && !f.newSourceIp)).toBe(true);
  });

  it('writes findings.json with the contract fields', async () => {
    const written = JSON.parse(await readFile(join(outDir, 'findings.json'), 'utf8')) as FindingsFile;
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
        'novelty',
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
