import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { discoverAccounts, selectAccounts } from '../../src/discover/accounts.js';
import { silentLogger } from '../../src/shared/log.js';
import {
  FAKE_RUNNER_CREDENTIALS,
  fakeAccountId,
  generateOrg,
  type FakeAws,
} from '../../tools/fake-aws/index.js';
import { fakeClients } from '../integration/fake-aws/deps.js';
import { fakeAwsPerTest } from '../integration/fake-aws/per-test.js';

const start = fakeAwsPerTest();

/** Discovery as a run makes it: with the run's client factory, pointed at the fake. */
function discover(config: Config, aws: FakeAws) {
  return discoverAccounts(config, fakeClients(config, aws), silentLogger);
}

describe('discoverAccounts', () => {
  it('reads every page of ListAccounts by State: ACTIVE accounts to audit, the others kept with their state', async () => {
    const org = generateOrg(45);
    org.accounts[7]!.state = 'SUSPENDED';
    const aws = await start(org, { pageSize: 20 });
    const found = await discover(parseConfig({}), aws);
    expect(found.errors).toEqual([]);
    expect(found.accounts).toHaveLength(44);
    expect(found.accounts.map((a) => a.id)).not.toContain(fakeAccountId(7));
    expect(found.notActive?.map((a) => [a.id, a.status])).toEqual([[fakeAccountId(7), 'SUSPENDED']]);
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

  it('answers as Organizations does today: State on every account, no retired Status', async () => {
    const aws = await start(generateOrg(2));
    const client = new OrganizationsClient({
      endpoint: aws.endpoint,
      region: 'us-east-1',
      credentials: FAKE_RUNNER_CREDENTIALS,
    });
    const page = await client.send(new ListAccountsCommand({}));
    client.destroy();
    expect(page.Accounts?.map((a) => [a.State, a.Status])).toEqual([
      ['ACTIVE', undefined],
      ['ACTIVE', undefined],
    ]);
  });

  it('keeps every account that is not ACTIVE, a state it does not know included, never dropping one', async () => {
    const org = generateOrg(7);
    const states = ['SUSPENDED', 'PENDING_CLOSURE', 'PENDING_ACTIVATION', 'CLOSED', 'QUARANTINED'];
    states.forEach((state, i) => (org.accounts[i + 2]!.state = state));
    const aws = await start(org);
    const found = await discover(parseConfig({}), aws);
    expect(found.accounts.map((a) => a.id)).toEqual([fakeAccountId(0), fakeAccountId(1)]);
    expect(found.notActive?.map((a) => a.status)).toEqual(states);
    expect(found.errors).toEqual([]);
  });

  it('falls back to the retired Status only when State is absent (answers from before State existed)', async () => {
    const org = generateOrg(4);
    org.accountLifecycleField = 'legacy-status';
    org.accounts[3]!.state = 'PENDING_CLOSURE';
    const aws = await start(org);
    const found = await discover(parseConfig({}), aws);
    expect(found.accounts.map((a) => [a.id, a.status])).toEqual([
      [fakeAccountId(0), 'ACTIVE'],
      [fakeAccountId(1), 'ACTIVE'],
      [fakeAccountId(2), 'ACTIVE'],
    ]);
    expect(found.notActive?.map((a) => [a.id, a.status])).toEqual([[fakeAccountId(3), 'PENDING_CLOSURE']]);
  });

  it('says why nothing is left to audit: an empty organization', async () => {
    const org = generateOrg(1);
    org.accounts = [];
    const aws = await start(org);
    const found = await discover(parseConfig({}), aws);
    expect(found.accounts).toEqual([]);
    expect(found.errors).toEqual([
      {
        scope: 'run',
        id: 'organizations',
        code: 'no-accounts-to-audit',
        message: 'Organizations listed no account: there is nothing to audit',
      },
    ]);
  });

  it('says why nothing is left to audit: filters that exclude every account, or no ACTIVE one', async () => {
    const aws = await start(generateOrg(3));
    const config = parseConfig({ aws: { accounts: { include: ['999999999999'] } } });
    const filtered = await discover(config, aws);
    expect(filtered.errors.map((e) => [e.code, e.message])).toEqual([
      [
        'no-accounts-to-audit',
        'Organizations listed 3 accounts, and the include/exclude lists leave none to audit',
      ],
    ]);
    for (const account of aws.org.accounts) account.state = 'SUSPENDED';
    const suspended = await discover(parseConfig({}), aws);
    expect(suspended.errors.map((e) => e.message)).toEqual([
      'Organizations listed 3 accounts; none within the include/exclude lists is ACTIVE (3 SUSPENDED)',
    ]);
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
    const found = await discover(config, aws);
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
    const found = await discover(config, aws);
    expect(found.accounts.map((a) => [a.id, a.ou])).toEqual([
      [fakeAccountId(1), 'ou-prod'],
      [fakeAccountId(2), 'ou-prod-eu'],
    ]);
  });

  it('uses the static list without calling Organizations', async () => {
    const aws = await start(generateOrg(3));
    const config = parseConfig({ aws: { accounts: { ids: ['123456789012', '210987654321'] } } });
    const found = await discover(config, aws);
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
    const found = await discover(parseConfig({}), aws);
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
    const found = await discover(parseConfig({}), aws);
    expect(found.accounts).toEqual([]);
    expect(found.errors.map((e) => e.code)).toEqual(['list-accounts-failed']);
    expect(found.errors[0]?.message).toMatch(/^access-denied: AccessDeniedException/);
  });

  it('reads Organizations through the management account audit role when configured', async () => {
    const org = generateOrg(3);
    org.runnerAccountId = '999999999999';
    const aws = await start(org);
    const viaRunner = await discover(parseConfig({}), aws);
    expect(viaRunner.errors.map((e) => e.code)).toContain('list-accounts-failed');
    const config = parseConfig({ aws: { managementAccountId: fakeAccountId(0) } });
    const viaRole = await discover(config, aws);
    expect(viaRole.errors).toEqual([]);
    expect(viaRole.accounts).toHaveLength(3);
  });
});

describe('selectAccounts', () => {
  it('drops duplicates and filtered accounts, and sets apart those that are not ACTIVE', () => {
    const a = { id: '111111111111', name: 'a', status: 'ACTIVE' };
    const b = { id: '222222222222', name: 'b', status: 'PENDING_CLOSURE' };
    const c = { id: '333333333333', name: 'c', status: 'SUSPENDED' };
    expect(selectAccounts([a, b, a, c], { exclude: [c.id] })).toEqual({ audit: [a], notActive: [b] });
  });
});
