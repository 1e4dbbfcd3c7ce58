import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/shared/log.js';
import {
  fakeAccountId,
  generateOrg,
  startFakeAws,
  type FakeAws,
  type FakeFault,
} from '../../tools/fake-aws/index.js';
import { collectOrgSnapshot, evaluateSnapshot } from '../../src/trails/index.js';
import { fakeClients } from '../integration/fake-aws/deps.js';

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function collect(faults: FakeFault[], aws: Record<string, unknown> = {}, accounts = 3) {
  const org = generateOrg(accounts);
  fake = await startFakeAws(org, { faults });
  const config = parseConfig({ aws: { timeouts: { callSeconds: 1, accountSeconds: 5 }, ...aws } });
  const snapshot = await collectOrgSnapshot(config, fakeClients(config, fake), silentLogger);
  return { snapshot, fake, config, member: snapshot.accounts.find((a) => a.id === fakeAccountId(1))! };
}

describe('collectOrgSnapshot', () => {
  it('records regions, the organization trail, its status and selectors for each account', async () => {
    const { member, fake } = await collect([]);
    expect(member.status).toBe('audited');
    expect(member.regions.filter((r) => r.optInStatus !== 'not-opted-in')).toHaveLength(13);
    expect(member.trails).toHaveLength(1);
    expect(member.trails[0]).toMatchObject({
      name: 'org-trail',
      ownerAccountId: fakeAccountId(0),
      isOrganizationTrail: true,
      status: { isLogging: true, latestDeliveryError: null },
      eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true }],
      advancedEventSelectors: [],
      errors: [],
    });
    expect(member.calls).toBe(5);
    expect(fake.stats.byOperation.get('ListRegions')).toBeUndefined();
  });

  it('reads regions from the Account API when configured', async () => {
    const { member, fake } = await collect([], { regionSource: 'account' });
    expect(member.regions.filter((r) => r.optInStatus === 'opt-in-not-required')).toHaveLength(13);
    expect(member.regions.filter((r) => r.optInStatus === 'not-opted-in')).toHaveLength(4);
    expect(fake.stats.byOperation.get('DescribeRegions')).toBeUndefined();
    expect(fake.stats.byOperation.get('ListRegions')).toBe(3);
  });

  it('keeps the account when one trail call fails beyond retries, and the evaluation says not audited', async () => {
    const { member, snapshot, config } = await collect([
      { kind: 'throttle', accountId: fakeAccountId(1), operation: 'GetTrailStatus' },
    ]);
    expect(member.status).toBe('audited');
    expect(member.trails[0]?.status).toBe(null);
    expect(member.trails[0]?.errors).toEqual([
      {
        operation: 'GetTrailStatus',
        code: 'throttled',
        message: expect.stringContaining('ThrottlingException') as string,
      },
    ]);
    const { result, complete } = evaluateSnapshot(snapshot, config);
    expect(complete).toBe(false);
    expect(result.errors.map((e) => [e.id, e.code])).toEqual([
      [fakeAccountId(1), 'trail-status-unavailable'],
    ]);
    expect(result.findings.filter((f) => f.accountId === fakeAccountId(1))).toEqual([]);
  });

  it('fails the account on a server error that outlasts the retries', async () => {
    const { member } = await collect([
      { kind: 'server-error', accountId: fakeAccountId(1), operation: 'DescribeTrails' },
    ]);
    expect(member.status).toBe('failed');
    expect(member.error?.code).toBe('service-unavailable');
    expect(member.error?.message).toMatch(/^DescribeTrails in us-east-1: InternalFailure/);
  });

  it('fails the account with access-denied when ListTrails is not allowed', async () => {
    const { member, snapshot } = await collect([
      { kind: 'access-denied', accountId: fakeAccountId(1), operation: 'ListTrails' },
    ]);
    expect(member.error?.code).toBe('access-denied');
    expect(snapshot.accounts.filter((a) => a.status === 'audited')).toHaveLength(2);
  });

  it('waits for a slow answer within the limits', async () => {
    const { member } = await collect([
      { kind: 'slow', accountId: fakeAccountId(1), operation: 'DescribeRegions', delayMs: 300 },
    ]);
    expect(member.status).toBe('audited');
    expect(member.durationMs).toBeGreaterThanOrEqual(300);
  });

  it('records a malformed EC2 answer as a failed account', async () => {
    const { member } = await collect([
      { kind: 'malformed', accountId: fakeAccountId(1), operation: 'DescribeRegions' },
    ]);
    expect(member.status).toBe('failed');
    expect(member.error?.code).toBe('malformed-response');
  });

  it('describes a single-region trail in its own home region, and each trail only once', async () => {
    const org = generateOrg(2);
    org.accounts[1]!.trails = [
      {
        name: 'eu-only',
        homeRegion: 'eu-west-1',
        isMultiRegion: false,
        s3BucketName: 'b',
        logFileValidation: true,
        isLogging: true,
      },
    ];
    fake = await startFakeAws(org);
    const config = parseConfig({});
    const snapshot = await collectOrgSnapshot(config, fakeClients(config, fake), silentLogger);
    const member = snapshot.accounts[1]!;
    expect(member.trails.map((t) => [t.name, t.homeRegion])).toEqual([
      ['eu-only', 'eu-west-1'],
      ['org-trail', 'us-east-1'],
    ]);
    expect(fake.stats.byOperation.get('DescribeTrails')).toBe(3);
    expect(fake.stats.byOperation.get('GetTrailStatus')).toBe(3);
  });

  it('reports progress per account', async () => {
    const org = generateOrg(4);
    fake = await startFakeAws(org);
    const ticks: number[] = [];
    let finished = false;
    const config = parseConfig({});
    await collectOrgSnapshot(config, fakeClients(config, fake), silentLogger, (total) => {
      ticks.push(total);
      return {
        tick: () => ticks.push(1),
        done: () => {
          finished = true;
        },
      };
    });
    expect(ticks).toEqual([4, 1, 1, 1, 1]);
    expect(finished).toBe(true);
  });
});
