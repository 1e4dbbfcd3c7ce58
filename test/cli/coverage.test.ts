import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCoverageCommand } from '../../src/cli/coverage.js';
import { main } from '../../src/cli/main.js';
import { silentLogger } from '../../src/shared/log.js';
import { fakeAccountId, generateOrg, startFakeAws } from '../../tools/fake-aws/index.js';
import { fakeDeps } from '../integration/fake-aws/deps.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailwatch-cli-coverage-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('trailwatch coverage', () => {
  it('evaluates the sample snapshot offline, prints the summary and problems, and writes both files', async () => {
    const out = join(dir, 'sample');
    const lines: string[] = [];
    const code = await runCoverageCommand(
      { orgSnapshot: 'samples/org-snapshot.json', out },
      { log: silentLogger, print: (line) => lines.push(line) },
    );
    expect(code).toBe(0);
    const text = lines.join('\n');
    expect(text).toContain('4 of 5 accounts and 18 of 20 account-regions fully covered');
    expect(text).toMatch(/alert\s+high\s+trail-region-uncovered\s+555555555555\s+acme-dev\s+ap-southeast-2/);
    const coverage = JSON.parse(await readFile(join(out, 'coverage.json'), 'utf8')) as {
      complete: boolean;
      coverage: { checkId: string }[];
      matrix: unknown[];
    };
    expect(coverage.complete).toBe(true);
    expect(coverage.matrix).toHaveLength(20);
    expect(coverage.coverage.map((f) => f.checkId)).toContain('trail-region-uncovered');
    const snapshot = JSON.parse(await readFile(join(out, 'org-snapshot.json'), 'utf8')) as {
      accounts: unknown[];
    };
    expect(snapshot.accounts).toHaveLength(5);
  });

  it('exits 3 for an invalid snapshot', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"kind":"something else"}');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await main([
      'node',
      'trailwatch',
      'coverage',
      '--org-snapshot',
      bad,
      '--out',
      join(dir, 'bad'),
    ]);
    stderr.mockRestore();
    expect(code).toBe(3);
  });

  it('exits 2 when an account cannot be audited, and escapes what AWS says before printing it', async () => {
    const org = generateOrg(3);
    org.accounts[2]!.name = 'evil\u001b[31m::error::pwned';
    const fake = await startFakeAws(org, {
      faults: [{ kind: 'access-denied', accountId: fakeAccountId(1), operation: 'AssumeRole' }],
    });
    org.accounts[2]!.trails = [
      {
        name: 'x\u001b]0;t',
        homeRegion: 'us-east-1',
        isMultiRegion: false,
        s3BucketName: 'b',
        logFileValidation: true,
        isLogging: true,
      },
    ];
    try {
      const lines: string[] = [];
      const code = await runCoverageCommand(
        { out: join(dir, 'live') },
        { log: silentLogger, deps: fakeDeps(fake), print: (line) => lines.push(line) },
      );
      expect(code).toBe(2);
      const text = lines.join('\n');
      expect(text).toContain('2 of 3 accounts');
      expect(text).toMatch(new RegExp(`account\\s+${fakeAccountId(1)}\\s+assume-role-denied`));
      expect(text).not.toContain('\u001b');
      expect(text).not.toContain('::error::');
      expect(text).toContain('evil\\u001b[31m');
    } finally {
      await fake.close();
    }
  });

  it('audits every ACTIVE account of an organization that answers State only, and names a SUSPENDED one', async () => {
    const org = generateOrg(5);
    org.accounts[3]!.state = 'SUSPENDED';
    const fake = await startFakeAws(org);
    try {
      const lines: string[] = [];
      const out = join(dir, 'state');
      const code = await runCoverageCommand(
        { out },
        { log: silentLogger, deps: fakeDeps(fake), print: (line) => lines.push(line) },
      );
      const coverage = JSON.parse(await readFile(join(out, 'coverage.json'), 'utf8')) as {
        complete: boolean;
        summary: { accountsTotal: number; accountsCovered: number; accountsNotAudited: number };
        errors: { scope: string; id: string; code: string; message: string; severity?: string }[];
        matrix: { accountId: string }[];
      };
      // The suspended account is said, as a warning: the audit of the accounts that can be audited is whole.
      expect(code).toBe(0);
      expect(coverage.complete).toBe(true);
      expect(new Set(coverage.matrix.map((c) => c.accountId))).toEqual(
        new Set([0, 1, 2, 4].map(fakeAccountId)),
      );
      expect(coverage.summary).toMatchObject({ accountsTotal: 5, accountsCovered: 4, accountsNotAudited: 1 });
      expect(coverage.errors).toEqual([
        {
          scope: 'account',
          id: fakeAccountId(3),
          code: 'account-suspended',
          message:
            "not audited: the account's state in Organizations is SUSPENDED; it may still hold data and trails",
          severity: 'warning',
        },
      ]);
      const text = lines.join('\n');
      expect(text).toContain(
        '4 of 5 accounts and 52 of 52 account-regions fully covered; 1 accounts not audited',
      );
      expect(text).toMatch(new RegExp(`account\\s+${fakeAccountId(3)}\\s+account-suspended\\s+not audited`));
      // Never an AssumeRole into the account that is not ACTIVE.
      expect(fake.assumeRoles.map((r) => r.roleArn).join(' ')).not.toContain(fakeAccountId(3));
    } finally {
      await fake.close();
    }
  });

  it('still works against the legacy Status-only answers', async () => {
    const org = generateOrg(3);
    org.accountLifecycleField = 'legacy-status';
    org.accounts[2]!.state = 'PENDING_CLOSURE';
    const fake = await startFakeAws(org);
    try {
      const lines: string[] = [];
      const code = await runCoverageCommand(
        { out: join(dir, 'legacy') },
        { log: silentLogger, deps: fakeDeps(fake), print: (line) => lines.push(line) },
      );
      expect(code).toBe(0);
      const text = lines.join('\n');
      expect(text).toContain('2 of 3 accounts');
      expect(text).toMatch(new RegExp(`${fakeAccountId(2)}\\s+account-pending-closure`));
    } finally {
      await fake.close();
    }
  });

  it('exits 2 with the reason for an empty organization: zero accounts is never clean', async () => {
    const org = generateOrg(1);
    org.accounts = [];
    const fake = await startFakeAws(org);
    try {
      const lines: string[] = [];
      const out = join(dir, 'empty');
      const code = await runCoverageCommand(
        { out },
        { log: silentLogger, deps: fakeDeps(fake), print: (line) => lines.push(line) },
      );
      expect(code).toBe(2);
      const text = lines.join('\n');
      expect(text).toContain('Not audited (1) — the audit is incomplete:');
      expect(text).toMatch(/run\s+organizations\s+no-accounts-to-audit\s+Organizations listed no account/);
      const coverage = JSON.parse(await readFile(join(out, 'coverage.json'), 'utf8')) as {
        complete: boolean;
      };
      expect(coverage.complete).toBe(false);
    } finally {
      await fake.close();
    }
  });

  it('builds the hub-role chain once: discovery and every account audit start from one hub session', async () => {
    const org = generateOrg(3);
    org.hubRoleArn = 'arn:aws:iam::999999999999:role/TrailwatchHub';
    const fake = await startFakeAws(org);
    try {
      const config = join(dir, 'hub.yaml');
      await writeFile(
        config,
        `aws:\n  hubRoleArn: ${org.hubRoleArn}\n  managementAccountId: '${org.managementAccountId}'\n`,
      );
      const code = await runCoverageCommand(
        { config, out: join(dir, 'hub') },
        { log: silentLogger, deps: fakeDeps(fake), print: () => undefined },
      );
      expect(code).toBe(0);
      const hub = fake.assumeRoles.filter((r) => r.roleArn === org.hubRoleArn);
      expect(hub.map((r) => r.outcome)).toEqual(['issued']);
      // Organizations (through the management account's audit role) and every account's audit were reached
      // from that one session.
      const audit = fake.assumeRoles.filter((r) => r.roleArn !== org.hubRoleArn);
      expect(audit.length).toBeGreaterThanOrEqual(3);
      expect(audit.every((r) => r.outcome === 'issued')).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it('exits 2 when every account fails, saying that no account was audited', async () => {
    const fake = await startFakeAws(generateOrg(2), {
      faults: [{ kind: 'access-denied', operation: 'AssumeRole' }],
    });
    try {
      const lines: string[] = [];
      const code = await runCoverageCommand(
        { out: join(dir, 'all-failed') },
        { log: silentLogger, deps: fakeDeps(fake), print: (line) => lines.push(line) },
      );
      expect(code).toBe(2);
      expect(lines.join('\n')).toMatch(
        /run\s+accounts\s+no-accounts-audited\s+no account was audited: of 2 accounts, 2 could not be audited/,
      );
    } finally {
      await fake.close();
    }
  });
});
