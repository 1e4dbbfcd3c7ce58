import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type DemoDay } from '../../src/cli/demo.js';
import { formatRunSummary } from '../../src/cli/summary.js';
import type { DigestEvent, DigestGroup } from '../../src/report/model/index.js';
import { generateSampleOrg, type SampleResult } from '../../src/samples/generate.js';
import { USER_AGENTS } from '../../src/samples/user-agents.js';
import { silentLogger } from '../../src/shared/log.js';

let sample: SampleResult;
let days: DemoDay[];
let out: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tw-demo-'));
  const logs = join(dir, 'logs');
  sample = await generateSampleOrg(logs);
  out = join(dir, 'out');
  days = await runDemo({ out, logs, log: silentLogger });
}, 400_000);

/** Every row of a day's digest (alerts, review, suppressed), with its rule section. */
function rows(day: DemoDay | undefined): { group: DigestGroup; row: DigestEvent }[] {
  const model = day?.report?.model;
  if (!model) return [];
  return [...model.alertGroups, ...model.reviewGroups, ...model.suppressedGroups].flatMap((group) =>
    group.events.map((row) => ({ group, row })),
  );
}

describe('trailwatch demo: two days into one output folder', () => {
  it('runs the first day, then the second against the history the first left', () => {
    expect(days.map((d) => [d.date, d.doc.run.history?.previousDays])).toEqual([
      ['2026-11-19', 0],
      ['2026-11-20', 1],
    ]);
    expect(days[0]?.report?.model?.novelty.line).toContain('No history yet: this run starts the baseline');
    expect(days[1]?.doc.run.history?.source).toBe(join(out, 'history.json'));
    expect(formatRunSummary(days[0]!.doc, out)).toContain(
      'what is new: no history yet, this run starts the baseline',
    );
    expect(formatRunSummary(days[1]!.doc, out)).toMatch(
      /what is new: \d+ new, \d+ recurring \(against 1 previous day of history\)/,
    );
  });

  it('mails fewer alerts on the second day than the 37 of the single-day digest, each incident alert new, the routine recurring', async () => {
    const model = days[1]?.report?.model;
    const [, second] = sample.days;
    const attack = new Set(second?.attack);
    const routine = new Set(second?.routine);
    expect(model?.counts.alerts).toBeLessThan(37);
    const all = rows(days[1]);
    const incidentAlerts = all.filter(
      ({ group, row }) =>
        group.tier === 'alert' && !row.suppressionId && row.eventIds.some((id) => attack.has(id)),
    );
    expect(incidentAlerts.length).toBeGreaterThan(15);
    expect(incidentAlerts.filter(({ row }) => row.novelty !== 'new').map(({ row }) => row.action)).toEqual(
      [],
    );
    const routineRows = all.filter(({ row }) => row.eventIds.some((id) => routine.has(id)));
    expect(routineRows.length).toBeGreaterThan(10);
    expect(
      routineRows
        .filter(({ row }) => row.novelty !== 'recurring')
        .map(({ row }) => `${row.principal} ${row.action}`),
    ).toEqual([]);
    // The suppressions hold the routine they were written for: the deploy role and the drill.
    const suppressed = routineRows.filter(({ row }) => row.suppressionId).map(({ row }) => row.suppressionId);
    expect(new Set(suppressed)).toEqual(new Set(['deploy-role', 'break-glass-drill']));
    const email = days[1]?.report?.email;
    expect(Buffer.byteLength(email?.html ?? '', 'utf8')).toBeLessThan(100 * 1024);
    expect(email?.subject).toMatch(/^\d+ alerts \(\d+ new\)/);
    expect(email?.html).toContain('Source IP never seen for this principal: 45.155.205.12');
    expect(email?.html).toContain('Recurring (seen in the previous days):');
  });

  it('leaves one bundle whose history holds both days, group keys and counts only', async () => {
    const text = await readFile(join(out, 'history.json'), 'utf8');
    const history = JSON.parse(text) as { days: { date: string }[] };
    expect(history.days.map((d) => d.date)).toEqual(['2026-11-19', '2026-11-20']);
    for (const agent of Object.values(USER_AGENTS)) if (agent.length > 20) expect(text).not.toContain(agent);
    expect(text).not.toMatch(/requestParameters|policyDocument|eventID|"summary"/);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as {
      files: { file: string }[];
    };
    expect(manifest.files.map((f) => f.file)).toContain('history.json');
  });
});
