import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ATHENA_LIMITS } from '../../src/engine/athena-sql.js';
import { setupStatements } from '../../src/engine/athena-sync.js';
import { projectedValues, tableSpecs } from '../../src/engine/athena-table.js';

const settings = (athena: Record<string, unknown>) => parseConfig({ engine: { athena } }).engine.athena;
const account = (n: number) => String(100000000000 + n);

describe('tableSpecs and the setup DDL', () => {
  it('puts the prefix before AWSLogs/ and the organization id only in the organization layout', () => {
    const specs = tableSpecs(settings({ bucket: 'b-logs', prefix: 'trails', organizationId: 'o-abcd1234' }), {
      organizationId: null,
      accounts: [account(2), account(1), account(2)],
      regions: ['us-east-1'],
    });
    expect(specs.map((s) => [s.layout, s.table, s.root, s.accounts])).toEqual([
      ['organization', 'cloudtrail_logs', 's3://b-logs/trails/AWSLogs/o-abcd1234/', [account(1), account(2)]],
      ['account', 'cloudtrail_logs_accounts', 's3://b-logs/trails/AWSLogs/', [account(1), account(2)]],
    ]);
  });

  it('refuses, naming each key, a config without bucket or organization id', () => {
    expect(() =>
      tableSpecs(settings({}), { organizationId: null, accounts: [account(1)], regions: [] }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          'engine.athena.bucket: expected the trail bucket name, found nothing',
          expect.stringMatching(/^engine\.athena\.organizationId: expected the organization id/),
        ],
      }),
    );
    // Per-account trails alone need no organization id.
    expect(
      tableSpecs(settings({ bucket: 'b-logs', layouts: ['account'] }), {
        organizationId: null,
        accounts: [account(1)],
        regions: [],
      }),
    ).toHaveLength(1);
  });

  it('keeps a 25,000-account table statement under Athena’s query limit, leaving the rest to Glue', async () => {
    const accounts = Array.from({ length: 25_000 }, (_, i) => account(i));
    const specs = tableSpecs(
      settings({ bucket: 'b-logs', organizationId: 'o-abcd1234', layouts: ['organization'] }),
      {
        organizationId: null,
        accounts,
        regions: ['us-east-1', 'me-south-1'],
      },
    );
    const [, , table] = await setupStatements(specs, 'trailwatch_staging');
    expect(Buffer.byteLength(table!.sql)).toBeLessThanOrEqual(ATHENA_LIMITS.queryBytes);
    const listed = /'projection\.account\.values' = '([^']*)'/.exec(table!.sql)![1]!.split(',');
    expect(listed.length).toBeGreaterThan(19_000);
    expect(listed).toEqual(accounts.slice(0, listed.length));
    expect(table!.note).toBe(
      `${25_000 - listed.length} more accounts do not fit Athena's 262144-byte query limit: setup adds them to the projection with Glue UpdateTable right after`,
    );
    const small = await setupStatements(
      tableSpecs(settings({ bucket: 'b-logs', organizationId: 'o-abcd1234' }), {
        organizationId: null,
        accounts: accounts.slice(0, 10),
        regions: ['us-east-1'],
      }),
      'trailwatch_staging',
    );
    expect(small.every((s) => s.note === undefined)).toBe(true);
  });
});

describe('projectedValues', () => {
  it('reads the listed accounts and regions, and whether projection is on', () => {
    expect(
      projectedValues({
        'projection.enabled': 'TRUE',
        'projection.account.values': ' 2, 1,,2',
        'projection.region.values': 'us-east-1',
      }),
    ).toEqual({
      enabled: true,
      accounts: ['1', '2'],
      regions: ['us-east-1'],
    });
    expect(projectedValues(undefined)).toEqual({ enabled: false, accounts: [], regions: [] });
  });
});
