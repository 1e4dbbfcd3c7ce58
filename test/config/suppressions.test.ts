import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/config/suppressions.js';
import { PROJECT_ROOT } from '../../src/shared/version.js';
import { runCli } from '../support/cli.js';

const TODAY = new Date().toISOString().slice(0, 10);

async function configFile(text: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tw-supp-'));
  for (const [name, body] of Object.entries(extra)) await writeFile(join(dir, name), body);
  const file = join(dir, 'trailwatch.config.yaml');
  await writeFile(file, text);
  return file;
}

async function check(text: string, extra: Record<string, string> = {}, date?: string) {
  const file = await configFile(text, extra);
  return runCli(['suppressions', 'check', '--config', file, ...(date ? ['--date', date] : [])]);
}

describe('suppressions check', () => {
  it('refuses an expiry 400 days out with path: expected …, found … and exit 3', async () => {
    const far = addDays(TODAY, 400);
    const { code, err } = await check(
      `suppressions:\n  - { rule: console-login, accountId: '111122223333', reason: r, expires: ${far} }\n`,
    );
    expect(code).toBe(3);
    expect(err).toContain(
      `suppressions[0].expires: expected a date at most 366 days ahead (on or before ${addDays(TODAY, 366)}), found "${far}"`,
    );
  });

  it('accepts an expiry exactly 366 days out', async () => {
    const { code } = await check(
      `suppressions:\n  - { rule: console-login, accountId: '111122223333', reason: r, expires: ${addDays(TODAY, 366)} }\n`,
    );
    expect(code).toBe(0);
  });

  it('refuses a blanket suppression (rule * and nothing else, or only match-everything fields)', async () => {
    const { code, err } = await check(
      [
        'suppressions:',
        `  - { rule: '*', reason: hide everything, expires: ${addDays(TODAY, 30)} }`,
        `  - { rule: '*', principal: '*', sourceIp: 0.0.0.0/0, reason: still everything, expires: ${addDays(TODAY, 30)} }`,
        `  - { rule: '*', region: us-east-1, reason: narrowed to a region, expires: ${addDays(TODAY, 30)} }`,
        '',
      ].join('\n'),
    );
    expect(code).toBe(3);
    expect(err).toContain('suppressions[0]: expected a rule id or at least one narrowing field');
    expect(err).toContain('suppressions[1]: expected a rule id or at least one narrowing field');
    expect(err).not.toContain('suppressions[2]');
  });

  it('requires reason and expires, and refuses impossible dates, bad CIDRs and unknown ids', async () => {
    const { code, err } = await check(
      [
        'suppressions:',
        "  - { rule: console-login, accountId: '111122223333' }",
        '  - { rule: console-login, reason: r, expires: 2026-02-31 }',
        `  - { rule: console-login, reason: r, sourceIp: 10.0.0.0/33, expires: ${addDays(TODAY, 5)} }`,
        `  - { rule: console-logn, reason: typo, expires: ${addDays(TODAY, 5)} }`,
        '',
      ].join('\n'),
    );
    expect(code).toBe(3);
    expect(err).toContain('suppressions[0].reason: expected string, found nothing');
    expect(err).toContain('suppressions[0].expires: expected string, found nothing');
    expect(err).toContain(
      'suppressions[1].expires: expected a real calendar date (YYYY-MM-DD), found "2026-02-31"',
    );
    expect(err).toContain('suppressions[2].sourceIp: expected an IP address or CIDR block');
  });

  it('refuses event fields on a coverage check (they would be accepted and ignored)', async () => {
    const { code, err } = await check(
      `suppressions:\n  - { rule: trail-single-region-only, principal: 'arn:aws:iam::*:root', reason: r, expires: ${addDays(TODAY, 9)} }\n`,
    );
    expect(code).toBe(3);
    expect(err).toContain(
      'suppressions[0].principal: expected no principal on coverage check trail-single-region-only',
    );
  });

  it('reads suppressionsFile relative to the config, reports its problems by file, and lists what expires soon', async () => {
    const good = await check(
      `suppressions:\n  - { id: soon, rule: root-usage, accountId: '111122223333', reason: drill, owner: sec@example.com, expires: ${addDays(TODAY, 3)} }\nsuppressionsFile: more.yaml\n`,
      {
        'more.yaml': `- { rule: trail-single-region-only, accountId: '444444444444', reason: sandbox, expires: ${addDays(TODAY, 60)} }\n`,
      },
    );
    expect(good.code).toBe(0);
    expect(good.out).toContain('2 suppressions in');
    expect(good.out).toContain('Expiring within 14 days (1):');
    expect(good.out).toMatch(
      /soon: rule root-usage, accountId 111122223333 — expires .* \(in 3 days\); owner sec@example.com/,
    );
    expect(good.out).toContain('more.yaml[0]: rule trail-single-region-only');

    const bad = await check('suppressionsFile: more.yaml\n', {
      'more.yaml': 'suppressions:\n  - { rule: root-usage, reason: no expiry }\n',
    });
    expect(bad.code).toBe(3);
    expect(bad.err).toContain('more.yaml[0].expires: expected string, found nothing');
  });

  it('lists an expired suppression as expired, without failing', async () => {
    const { code, out } = await check(
      `suppressions:\n  - { id: old, rule: root-usage, accountId: '111122223333', reason: r, expires: 2026-11-01 }\n`,
      {},
      '2026-11-25',
    );
    expect(code).toBe(0);
    expect(out).toContain('old: rule root-usage, accountId 111122223333 — EXPIRED on 2026-11-01');
  });

  it('passes on the example configuration', async () => {
    const { code, out } = await runCli([
      'suppressions',
      'check',
      '--config',
      join(PROJECT_ROOT, 'trailwatch.config.example.yaml'),
      '--date',
      '2026-11-25',
    ]);
    expect(code).toBe(0);
    // `::` is broken up on the terminal so a GitHub runner never reads it as a workflow command.
    expect(out).toContain('deploy-role: rule *, principal arn:aws:iam:\u2236*:role/github-actions-deploy');
    expect(out).toContain('Expiring within 14 days (1):');
  });
});
