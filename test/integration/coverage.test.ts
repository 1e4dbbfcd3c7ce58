import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { createLogger, silentLogger } from '../../src/shared/log.js';
import {
  FAKE_RUNNER_CREDENTIALS,
  generateOrg,
  startFakeAws,
  type FakeAws,
} from '../../tools/fake-aws/index.js';
import {
  collectOrgSnapshot,
  evaluateSnapshot,
  saveOrgSnapshot,
  type CoverageAudit,
} from '../../src/trails/index.js';
import { fakeClients } from './fake-aws/deps.js';
import { ACCOUNTS, EXTERNAL_ID, faults50, org50 } from './fake-aws/org-50.js';

const now = new Date();
let fake: FakeAws;
let audit: CoverageAudit;
let logLines: string[];
let seconds: number;
let outDir: string;

beforeAll(async () => {
  // Warm up: the SDK loads parts of itself lazily on first use; a cold start must not eat the time limits.
  const warm = await startFakeAws(generateOrg(1));
  const warmConfig = parseConfig({});
  await collectOrgSnapshot(warmConfig, fakeClients(warmConfig, warm), silentLogger);
  await warm.close();

  fake = await startFakeAws(org50(now), { faults: faults50() });
  outDir = await mkdtemp(join(tmpdir(), 'trailwatch-coverage-'));
  logLines = [];
  const config = parseConfig({
    aws: {
      externalId: EXTERNAL_ID,
      timeouts: { callSeconds: 2, accountSeconds: 6 },
      concurrency: { global: 16, perAccount: 4 },
    },
    coverage: { bucketOwners: { 'acct16-own-logs': ACCOUNTS.logsInSameAccount } },
  });
  const started = Date.now();
  const snapshot = await collectOrgSnapshot(
    config,
    fakeClients(config, fake),
    createLogger({ level: 'debug', sink: (line) => logLines.push(line) }),
  );
  seconds = (Date.now() - started) / 1000;
  await saveOrgSnapshot(join(outDir, 'org-snapshot.json'), snapshot);
  audit = evaluateSnapshot(snapshot, config);
});

afterAll(async () => {
  await fake.close();
  await rm(outDir, { recursive: true, force: true });
});

function checksOf(accountId: string): string[] {
  return [
    ...new Set(audit.result.findings.filter((f) => f.accountId === accountId).map((f) => f.checkId)),
  ].sort();
}

describe('coverage against the fake AWS (50 accounts)', () => {
  it('lists every account of the organization in the snapshot', () => {
    expect(audit.snapshot.accounts.map((a) => a.id).sort()).toEqual(
      fake.org.accounts.map((a) => a.id).sort(),
    );
    expect(audit.snapshot.organizationId).toBe('o-fake12345');
  });

  it('records the denied and the hanging account with their reasons and marks the run incomplete', () => {
    const failed = audit.snapshot.accounts.filter((a) => a.status === 'failed');
    expect(failed.map((a) => [a.id, a.error?.code])).toEqual([
      [ACCOUNTS.denied, 'assume-role-denied'],
      [ACCOUNTS.hanging, 'account-timeout'],
    ]);
    expect(audit.complete).toBe(false);
    expect(audit.result.errors.map((e) => [e.scope, e.id, e.code])).toEqual([
      ['account', ACCOUNTS.denied, 'assume-role-denied'],
      ['account', ACCOUNTS.hanging, 'account-timeout'],
    ]);
    expect(audit.result.summary.accountsNotAudited).toBe(2);
  });

  it('cuts the hanging account off at its time limit instead of holding the run', () => {
    const hanging = audit.snapshot.accounts.find((a) => a.id === ACCOUNTS.hanging);
    // Four attempts of 2 s would take 8 s: the 6 s account limit ends it first.
    expect(hanging?.durationMs).toBeGreaterThanOrEqual(5900);
    expect(hanging?.durationMs).toBeLessThan(7500);
    expect(seconds).toBeLessThan(25);
  });

  it('audits the throttled account after retries', () => {
    const throttled = audit.snapshot.accounts.find((a) => a.id === ACCOUNTS.throttled);
    expect(throttled?.status).toBe('audited');
    expect(throttled?.trails.map((t) => t.name)).toEqual(['org-trail']);
    expect(throttled?.trails[0]?.status?.isLogging).toBe(true);
    expect(checksOf(ACCOUNTS.throttled)).toEqual([]);
    // Six calls, plus two throttled ListTrails and one throttled GetTrailStatus that were retried.
    expect(fake.stats.byAccount.get(ACCOUNTS.throttled)).toBe(9);
  });

  it('finds the right problems in each account with a story', () => {
    expect(checksOf(ACCOUNTS.ownUnencryptedTrail)).toEqual([
      'trail-log-validation-disabled',
      'trail-not-encrypted',
    ]);
    expect(checksOf(ACCOUNTS.stoppedExtraTrail)).toEqual(['trail-not-logging']);
    expect(checksOf(ACCOUNTS.singleRegionOnly)).toEqual([
      'trail-region-uncovered',
      'trail-single-region-only',
    ]);
    expect(checksOf(ACCOUNTS.readOnlySelectors)).toEqual(['trail-management-events-excluded']);
    expect(checksOf(ACCOUNTS.deliveryError)).toEqual(['trail-delivery-error']);
    expect(checksOf(ACCOUNTS.logsInSameAccount)).toEqual(['trail-logs-in-same-account']);
    expect(checksOf(ACCOUNTS.onlyTrailStopped)).toEqual(['trail-not-logging', 'trail-region-uncovered']);
    expect(checksOf(ACCOUNTS.optInRegion)).toEqual([]);
  });

  it('reports an uncovered region for every enabled region outside a single-region trail', () => {
    const uncovered = audit.result.findings
      .filter((f) => f.accountId === ACCOUNTS.singleRegionOnly && f.checkId === 'trail-region-uncovered')
      .map((f) => f.region);
    expect(uncovered).toHaveLength(12);
    expect(uncovered).not.toContain('us-east-1');
  });

  it('audits an opt-in region only where it is enabled', () => {
    const cells = (id: string) => audit.result.matrix.filter((c) => c.accountId === id).map((c) => c.region);
    expect(cells(ACCOUNTS.optInRegion)).toContain('af-south-1');
    expect(cells(ACCOUNTS.optInRegion)).toHaveLength(14);
    expect(cells(ACCOUNTS.management)).not.toContain('af-south-1');
    expect(cells(ACCOUNTS.management)).toHaveLength(13);
  });

  it('leaves the 39 accounts without a story clean and summarises N of M accounts', () => {
    const withFindings = new Set(audit.result.findings.map((f) => f.accountId));
    expect(withFindings).toEqual(
      new Set([
        ACCOUNTS.ownUnencryptedTrail,
        ACCOUNTS.stoppedExtraTrail,
        ACCOUNTS.singleRegionOnly,
        ACCOUNTS.readOnlySelectors,
        ACCOUNTS.deliveryError,
        ACCOUNTS.logsInSameAccount,
        ACCOUNTS.onlyTrailStopped,
      ]),
    );
    // 48 audited accounts × 13 regions, plus the opt-in region of one. Not fully covered: 12 regions of the
    // single-region account and all 13 of the account whose only trail is stopped.
    expect(audit.result.summary).toEqual({
      accountsTotal: 50,
      accountsCovered: 46,
      accountsNotAudited: 2,
      regionsTotal: 48 * 13 + 1,
      regionsCovered: 48 * 13 + 1 - 12 - 13,
    });
  });

  it('uses one AssumeRole per account, with the ExternalId and a session name that names trailwatch', () => {
    const audits = fake.assumeRoles.filter((r) => r.outcome === 'issued');
    expect(new Set(audits.map((r) => r.sessionName))).toEqual(new Set(['trailwatch']));
    expect(new Set(audits.map((r) => r.externalId))).toEqual(new Set([EXTERNAL_ID]));
    expect(audits).toHaveLength(49);
  });

  it('makes no more calls per account than regions + trails + one DescribeTrails + 2 per trail', () => {
    const standard = fake.stats.byAccount.get('100000000030');
    // AssumeRole, DescribeRegions, ListTrails, DescribeTrails, GetTrailStatus, GetEventSelectors.
    expect(standard).toBe(6);
    const twoTrails = fake.stats.byAccount.get(ACCOUNTS.ownUnencryptedTrail);
    expect(twoTrails).toBe(8);
    // One DescribeTrails per account, two for the account whose own trail is homed in another region.
    expect(fake.stats.byOperation.get('DescribeTrails')).toBe(49);
    expect(fake.stats.byAccount.get(ACCOUNTS.stoppedExtraTrail)).toBe(9);
  });

  it('never writes a credential, session token or secret to the snapshot, the logs or the findings', async () => {
    const saved = await readFile(join(outDir, 'org-snapshot.json'), 'utf8');
    const outputs = [saved, JSON.stringify(audit.result), logLines.join('\n')];
    const secrets = fake.issued.flatMap((c) => [c.accessKeyId, c.secretAccessKey, c.sessionToken]);
    secrets.push(FAKE_RUNNER_CREDENTIALS.accessKeyId, FAKE_RUNNER_CREDENTIALS.secretAccessKey);
    expect(fake.issued.length).toBeGreaterThan(40);
    for (const output of outputs) {
      for (const secret of secrets) expect(output.includes(secret), secret.slice(0, 8)).toBe(false);
      expect(output).not.toMatch(/ASIA[A-Z2-7]{16}/);
      expect(output).not.toMatch(/assumed-role\/TrailwatchAudit\/trailwatch/);
    }
  });
});
