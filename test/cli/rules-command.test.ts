import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const cli = runCli;

// The catalogue other tools rely on: ids, tiers and risks are fixed.
const CATALOGUE = {
  'trail-tampering': ['alert', 'high'],
  'root-usage': ['alert', 'high'],
  'iam-critical-change': ['alert', 'high'],
  'console-login-failure': ['alert', 'medium'],
  'console-login': ['alert', 'medium'],
  'security-group-change': ['alert', 'high'],
  'security-group-open-world': ['alert', 'high'],
  'db-security-group-change': ['alert', 'high'],
  'unapproved-region-activity': ['alert', 'high'],
  'kms-key-deletion': ['alert', 'high'],
  'unauthorized-api-calls': ['alert', 'medium'],
  's3-bucket-policy-change': ['review', 'medium'],
  'sqs-permission-change': ['review', 'medium'],
  'route53-change': ['review', 'medium'],
  'rds-snapshot-activity': ['review', 'medium'],
  'vpc-change': ['review', 'medium'],
  'unapproved-image': ['review', 'low'],
  'iam-change': ['review', 'low'],
  'config-change': ['review', 'medium'],
  'organizations-change': ['review', 'medium'],
  'log-delivery-gap': ['review', 'medium'],
};

describe('trailwatch rules', () => {
  it('list --json gives every catalogue id with its tier and risk', async () => {
    const { code, out } = await cli(['rules', 'list', '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(out) as { id: string; title: string; tier: string; risk: string }[];
    expect(Object.fromEntries(rows.map((r) => [r.id, [r.tier, r.risk]]))).toEqual(CATALOGUE);
    expect(rows.every((r) => r.title.length > 0 && r.title.length < 80)).toBe(true);
  });

  it('show prints why, next steps, references and the SQL of one rule', async () => {
    const { code, out } = await cli(['rules', 'show', 'kms-key-deletion']);
    expect(code).toBe(0);
    expect(out).toMatch(/Why: .+/);
    expect(out).toMatch(/Next: .+/);
    expect(out).toContain('References:');
    expect(out).toContain('  - T1485 Data Destruction (impact) <https://attack.mitre.org/techniques/T1485/>');
    expect(out).toContain("eventsource = 'kms.amazonaws.com'");
  });

  it('show refuses an unknown id with exit code 3', async () => {
    expect((await cli(['rules', 'show', 'no-such-rule'])).code).toBe(3);
  });

  it("applies the config's overrides and adds rules from a folder named in rulesDirs", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tw-own-rules-'));
    await mkdir(join(dir, 'mine', 'rules'), { recursive: true });
    await mkdir(join(dir, 'mine', 'queries'), { recursive: true });
    await writeFile(
      join(dir, 'mine', 'rules', 'guardduty-disabled.yaml'),
      [
        'id: guardduty-disabled',
        'title: GuardDuty detector deleted',
        'tier: alert',
        'risk: high',
        'why: Deleting the detector stops threat detection.',
        'next: Recreate the detector.',
        'references: [{ title: GuardDuty API DeleteDetector }]',
        'query: { bind: [windowStart, windowEnd] }',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'mine', 'queries', 'guardduty-disabled.sql'),
      "SELECT eventid AS event_id FROM cloudtrail_logs WHERE eventtime >= ? AND eventtime < ? AND eventsource = 'guardduty.amazonaws.com'",
    );
    const config = join(dir, 'trailwatch.config.yaml');
    await writeFile(
      config,
      `rulesDirs: [${JSON.stringify(join(dir, 'mine'))}]\nrules:\n  iam-change: { enabled: false }\n  console-login: { risk: high, tier: review }\n`,
    );
    const { code, out } = await cli(['rules', 'list', '--json', '--config', config]);
    expect(code).toBe(0);
    const rows = JSON.parse(out) as { id: string; tier: string; risk: string; enabled: boolean }[];
    expect(rows.find((r) => r.id === 'guardduty-disabled')).toMatchObject({
      tier: 'alert',
      risk: 'high',
      enabled: true,
    });
    expect(rows.find((r) => r.id === 'iam-change')?.enabled).toBe(false);
    expect(rows.find((r) => r.id === 'console-login')).toMatchObject({ tier: 'review', risk: 'high' });
  });

  it('refuses a rules folder whose rule has no query, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tw-bad-rules-'));
    await mkdir(join(dir, 'rules'), { recursive: true });
    await writeFile(
      join(dir, 'rules', 'orphan.yaml'),
      'id: orphan\ntitle: t\ntier: alert\nrisk: high\nwhy: w\nnext: n\nreferences: [{ title: r }]\nquery: { bind: [] }\n',
    );
    const config = join(dir, 'c.yaml');
    await writeFile(config, `rulesDirs: [${JSON.stringify(dir)}]\n`);
    const { code, err } = await cli(['rules', 'list', '--config', config]);
    expect(code).toBe(3);
    expect(err).toContain('orphan.yaml: expected its query at');
  });
});

describe('rule ids named in the config or on the command line', () => {
  it('refuses a per-rule setting or a suppression for a rule that does not exist (exit 3)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tw-typo-'));
    const config = join(dir, 'c.yaml');
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await writeFile(
      config,
      `rules:\n  iam-chnage: { enabled: false }\nsuppressions:\n  - { rule: console-logn, reason: typo, expires: ${soon} }\n  - { rule: trail-single-region-only, reason: a coverage check id is fine, expires: ${soon} }\n`,
    );
    const { code, err } = await cli(['rules', 'list', '--config', config]);
    expect(code).toBe(3);
    expect(err).toContain('rules.iam-chnage: expected a rule id');
    expect(err).toContain('suppressions[0].rule: expected a rule or coverage check id, found "console-logn"');
    expect(err).not.toContain('suppressions[2]');
  });

  it('rules test refuses an unknown id instead of passing with nothing run', async () => {
    const { code, err } = await cli(['rules', 'test', 'nope']);
    expect(code).toBe(3);
    expect(err).toContain('no rule with id "nope"');
  });
});
