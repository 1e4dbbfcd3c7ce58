// Configuration that would quietly change what is audited is refused with exit 3 and a
// `path: expected X, found Y` line: rule parameters of the wrong type or name, impossible dates, alias bombs.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fillRecord } from '../../src/rules/test-cases.js';
import { runCli } from '../support/cli.js';

let logs: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tw-harden-'));
  logs = join(dir, 'logs');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(logs);
  // Ten refused calls by one user: unauthorized-api-calls fires at its default threshold of ten.
  const records = Array.from({ length: 10 }, (_, i) =>
    fillRecord(
      { eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', errorCode: 'AccessDenied' },
      i + 1,
    ),
  );
  await writeFile(join(logs, 'events.json'), JSON.stringify({ Records: records }));
});

async function scanWith(configText: string, extra: string[] = []) {
  const file = join(await mkdtemp(join(dir, 'case-')), 'trailwatch.config.yaml');
  await writeFile(file, configText);
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  return runCli(['scan', '--logs', logs, '--config', file, '--out', out, ...extra]);
}

describe('rule parameters are checked against the types the rule files declare', () => {
  it('refuses a threshold that is not a number (it would bind NULL and find nothing)', async () => {
    const { code, err } = await scanWith(
      'rules:\n  unauthorized-api-calls:\n    parameters: { threshold: "ten" }\n',
    );
    expect(err).toContain(
      'rules.unauthorized-api-calls.parameters.threshold: expected an integer, found "ten"',
    );
    expect(code).toBe(3);
  });

  it('refuses a misspelled parameter name instead of running the default', async () => {
    const { code, err } = await scanWith(
      'rules:\n  console-login-failure:\n    parameters: { failureTreshold: 3 }\n',
    );
    expect(err).toContain(
      `rules.console-login-failure.parameters.failureTreshold: expected one of console-login-failure's parameters (failureThreshold), found "failureTreshold"`,
    );
    expect(code).toBe(3);
  });

  it('refuses a per-rule approvedRegions that is one string, and checks its items as the top-level key does', async () => {
    const { code, err } = await scanWith(
      [
        'rules:',
        '  unapproved-region-activity:',
        '    parameters: { approvedRegions: "us-east-1" }',
        '  unapproved-image:',
        '    parameters: { approvedImages: [ami-1] }',
        '',
      ].join('\n'),
    );
    expect(err).toContain(
      'rules.unapproved-region-activity.parameters.approvedRegions: expected a list of strings, found "us-east-1"',
    );
    expect(err).toContain(
      'rules.unapproved-image.parameters.approvedImages[0]: expected an AMI id such as ami-0123456789abcdef0, found "ami-1"',
    );
    expect(code).toBe(3);
  });

  it('refuses a threshold below the declared minimum, and a parameter for a rule that takes none', async () => {
    const { code, err } = await scanWith(
      'rules:\n  unauthorized-api-calls:\n    parameters: { threshold: 0 }\n  root-usage:\n    parameters: { limit: 1 }\n',
    );
    expect(err).toContain(
      'rules.unauthorized-api-calls.parameters.threshold: expected an integer of at least 1, found number 0',
    );
    expect(err).toContain(
      'rules.root-usage.parameters.limit: expected no parameters (root-usage takes none)',
    );
    expect(code).toBe(3);
  });

  it('runs with well-typed parameters and uses them', async () => {
    const out = join(dir, 'out-typed');
    const file = join(dir, 'typed.yaml');
    await writeFile(file, 'rules:\n  unauthorized-api-calls:\n    parameters: { threshold: 11 }\n');

    const { code } = await runCli(['scan', '--logs', logs, '--config', file, '--out', out]);

    expect(code).toBe(0);
    const doc = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as {
      findings: { ruleId: string }[];
      run: { rules: { ruleId: string; parameters: unknown[] }[] };
    };
    // Eleven is above the ten refusals: nothing fires, and the evidence shows the bound value.
    expect(doc.findings.filter((f) => f.ruleId === 'unauthorized-api-calls')).toEqual([]);
    expect(doc.run.rules.find((r) => r.ruleId === 'unauthorized-api-calls')?.parameters).toContain(11);
  });
});

describe('impossible dates are refused wherever a date enters', () => {
  it.each(['9999-99-99', '2026-02-31', '2026-13-01'])('a suppression expiring on %s', async (date) => {
    const { code, err } = await scanWith(
      `suppressions:\n  - { rule: root-usage, accountId: "111122223333", reason: x, expires: "${date}" }\n`,
    );
    expect(err).toContain(
      `suppressions[0].expires: expected a real calendar date (YYYY-MM-DD), found "${date}"`,
    );
    expect(code).toBe(3);
  });

  it('a real date is accepted as a suppression expiry', async () => {
    // Expiry is also bounded to a year ahead, so the date is taken from today.
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const { code } = await scanWith(
      `suppressions:\n  - { rule: root-usage, accountId: "111122223333", reason: x, expires: "${soon}" }\n`,
    );
    expect(code).toBe(0);
  });

  it.each([
    ['--since', '2026-02-31'],
    ['--until', '9999-99-99'],
    ['--since', '2026-02-30T06:00:00Z'],
  ])('%s %s', async (flag, value) => {
    const { code, err } = await scanWith('', [flag, value]);
    expect(err).toContain(`${flag}: expected an ISO date or timestamp`);
    expect(err).toContain(`found "${value}"`);
    expect(code).toBe(3);
  });

  it.each(['2026-02-31', '9999-99-99', '2026-11-20T00:00:00Z'])('run --date %s', async (value) => {
    const file = join(dir, 'run.yaml');
    await writeFile(file, `engine: { duckdb: { logs: ${JSON.stringify(logs)} } }\n`);
    const { code, err } = await runCli([
      'run',
      '--config',
      file,
      '--date',
      value,
      '--org-snapshot',
      join(dir, 'none.json'),
      '--out',
      join(dir, 'out-run'),
    ]);
    expect(err).toContain(
      `--date: expected a real calendar day as YYYY-MM-DD such as 2026-11-20, found "${value}"`,
    );
    expect(code).toBe(3);
  });
});

describe('a YAML alias bomb in the config', () => {
  it('is refused as a configuration problem (exit 3) with a message naming the file and the aliases', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [prev, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g'],
      ['g', 'h'],
    ] as const) {
      levels.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${prev}`).join(', ')}]`);
    }
    const { code, err } = await scanWith(`${levels.join('\n')}\n`);
    expect(err).toMatch(
      /trailwatch\.config\.yaml: expected YAML whose aliases expand to a modest size, found aliases that expand too far/,
    );
    expect(err).not.toContain('internal error');
    expect(code).toBe(3);
  });
});

describe("a rule file's parameter defaults", () => {
  it('must fit the type the file declares', async () => {
    const own = await mkdtemp(join(dir, 'own-rules-'));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(own, 'rules'));
    await mkdir(join(own, 'queries'));
    await writeFile(
      join(own, 'rules', 'many-deletes.yaml'),
      [
        'id: many-deletes',
        'title: Many deletions',
        'tier: review',
        'risk: low',
        'why: w',
        'next: n',
        'references: [{ title: r }]',
        'parameters:',
        '  - { name: limit, type: integer, description: d, default: "ten" }',
        'query: { bind: [limit] }',
      ].join('\n'),
    );
    await writeFile(join(own, 'queries', 'many-deletes.sql'), 'SELECT 1 WHERE 1 < ?');
    const config = join(own, 'c.yaml');
    await writeFile(config, `rulesDirs: [${JSON.stringify(own)}]\n`);

    const { code, err } = await runCli(['rules', 'list', '--config', config]);

    expect(err).toMatch(/many-deletes\.yaml parameters\[0\]\.default: expected an integer, found "ten"/);
    expect(code).toBe(3);
  });
});
