import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { discoverAccounts, filterAccounts } from '../../src/discover/accounts.js';
import { silentLogger } from '../../src/shared/log.js';
import { fakeAccountId, generateOrg } from '../../src/testing/fake-aws/index.js';
import { fakeDeps } from '../integration/fake-aws/deps.js';
import { fakeAwsPerTest } from '../integration/fake-aws/per-test.js';

const start = fakeAwsPerTest();

describe('discoverAccounts', () => {
  it('reads every page of ListAccounts and keeps ACTIVE accounts only', async () => {
    const org = generateOrg(45);
    org.accounts[7]!.status = 'SUSPENDED';
    const aws = await start(org, { pageSize: 20 });
    const found = await discoverAccounts(parseConfig({}), fakeDeps(aws), silentLogger);
    expect(found.errors).toEqual([]);
    expect(found.accounts).toHaveLength(44);
    expect(found.accounts.map((a) => a.id)).not.toContain(fakeAccountId(7));
    expect(found.accounts[0]).toEqual({
      id: fakeAccountId(0),
      name: 'management',
      email: 'aws+0@example.com',
      status: 'ACTIVE',
      ou: null,
    });
    expect(found.organizationId).toBe('o-fake12345');
    expect(found.managementAccountId).toBe(fakeAccountId(0));
    expect(aws.stats.byOperation.get('ListAccounts')).toBe(3);
  });

  it('applies the include and exclude lists', async () => {
    const aws = await start(generateOrg(5));
    const config = parseConfig({
      aws: {
        accounts: {
          include: [fakeAccountId(1), fakeAccountId(2), fakeAccountId(3)],
          exclude: [fakeAccountId(2)],
        },
      },
    });
    const found = await discoverAccounts(config, fakeDeps(aws), silentLogger);
    expect(found.accounts.map((a) => a.id)).toEqual([fakeAccountId(1), fakeAccountId(3)]);
  });

  it('lists the accounts under configured OUs, nested OUs included', async () => {
    const org = generateOrg(6);
    org.ous = [
      { id: 'ou-prod', parentId: 'r-root', name: 'Prod' },
      { id: 'ou-prod-eu', parentId: 'ou-prod', name: 'Prod EU' },
      { id: 'ou-dev', parentId: 'r-root', name: 'Dev' },
    ];
    org.accounts[1]!.parentId = 'ou-prod';
    org.accounts[2]!.parentId = 'ou-prod-eu';
    org.accounts[3]!.parentId = 'ou-dev';
    const aws = await start(org);
    const config = parseConfig({ aws: { accounts: { organizationalUnits: ['ou-prod'] } } });
    const found = await discoverAccounts(config, fakeDeps(aws), silentLogger);
    expect(found.accounts.map((a) => [a.id, a.ou])).toEqual([
      [fakeAccountId(1), 'ou-prod'],
      [fakeAccountId(2), 'ou-prod-eu'],
    ]);
  });

  it('uses the static list without calling Organizations', async () => {
    const aws = await start(generateOrg(3));
    const config = parseConfig({ aws: { accounts: { ids: ['123456789012', '210987654321'] } } });
    const found = await discoverAccounts(config, fakeDeps(aws), silentLogger);
    expect(found.accounts).toEqual([
      { id: '123456789012', name: null, status: 'STATIC' },
      { id: '210987654321', name: null, status: 'STATIC' },
    ]);
    expect(aws.stats.calls).toBe(0);
  });

  it('keeps the accounts of the pages read when a later page is malformed, and records the error', async () => {
    const aws = await start(generateOrg(45), {
      pageSize: 20,
      faults: [{ kind: 'malformed', operation: 'ListAccounts', after: 1, times: 1 }],
    });
    const found = await discoverAccounts(parseConfig({}), fakeDeps(aws), silentLogger);
    expect(found.accounts).toHaveLength(20);
    expect(found.errors).toHaveLength(1);
    expect(found.errors[0]).toMatchObject({
      scope: 'run',
      id: 'organizations',
      code: 'list-accounts-failed',
    });
  });

  it('records AccessDenied from Organizations as a run error instead of throwing', async () => {
    const aws = await start(generateOrg(3), {
      faults: [{ kind: 'access-denied', operation: 'ListAccounts' }],
    });
    const found = await discoverAccounts(parseConfig({}), fakeDeps(aws), silentLogger);
    expect(found.accounts).toEqual([]);
    expect(found.errors.map((e) => e.code)).toEqual(['list-accounts-failed']);
    expect(found.errors[0]?.message).toMatch(/^access-denied: AccessDeniedException/);
  });

  it('reads Organizations through the management account audit role when configured', async () => {
    const org = generateOrg(3);
    org.runnerAccountId = '999999999999';
    const aws = await start(org);
    const viaRunner = await discoverAccounts(parseConfig({}), fakeDeps(aws), silentLogger);
    expect(viaRunner.errors.map((e) => e.code)).toContain('list-accounts-failed');
    const config = parseConfig({ aws: { managementAccountId: fakeAccountId(0) } });
    const viaRole = await discoverAccounts(config, fakeDeps(aws), silentLogger);
    expect(viaRole.errors).toEqual([]);
    expect(viaRole.accounts).toHaveLength(3);
  });
});

describe('filterAccounts', () => {
  it('drops duplicates and accounts that are not ACTIVE', () => {
    const a = { id: '111111111111', name: 'a', status: 'ACTIVE' };
    const b = { id: '222222222222', name: 'b', status: 'PENDING_CLOSURE' };
    expect(filterAccounts([a, b, a], {})).toEqual([a]);
  });
});
