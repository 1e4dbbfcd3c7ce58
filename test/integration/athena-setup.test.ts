// `trailwatch athena setup`, the daily run's table sync, and the fake Athena's partition projection, over
// the real SDK against the fake AWS: a table that misses an account or an opt-in region is blind there.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory } from '../../src/aws/clients.js';
import { regionsOfPartition } from '../../src/aws/regions.js';
import { runAthenaCheck, runAthenaSetup } from '../../src/cli/athena.js';
import { exitCodeFor } from '../../src/cli/exit-code.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { createAthenaRunner } from '../../src/engine/athena.js';
import type { FindingsFile } from '../../src/model.js';
import { fillRecord } from '../../src/rules/test-cases.js';
import { runDaily } from '../support/daily-run.js';
import { silentLogger } from '../../src/shared/log.js';
import { generateOrg, startFakeAws, type FakeAws } from '../../tools/fake-aws/index.js';
import { loadOrgSnapshot } from '../../src/trails/index.js';
import { runCli } from '../support/cli.js';
import { fakeDeps } from './fake-aws/deps.js';

const DATE = '2026-11-20';
const BUCKET = 'acme-trail';
const org = generateOrg(3);
const [MGMT, DEV, PROD] = org.accounts.map((a) => a.id) as [string, string, string];
// PROD has enabled an opt-in region; nobody approved it.
org.accounts[2]!.optedInRegions = ['me-south-1'];
const ALL_REGIONS = regionsOfPartition('aws');

let dir: string;
let fake: FakeAws;
let configFile: string;

async function writeLog(key: string, records: Record<string, unknown>[]): Promise<void> {
  const path = join(dir, 'bucket', key);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await promisify(gzip)(JSON.stringify({ Records: records })));
}

const orgKey = (account: string, region: string, day: string, name: string) =>
  `AWSLogs/${org.id}/${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${name}.json.gz`;

function settings(overrides: Record<string, unknown> = {}): Config {
  return parseConfig({
    organization: 'Setup Test Org',
    approvedRegions: ['us-east-1', 'eu-west-1'],
    engine: {
      type: 'athena',
      duckdb: { logs: join(dir, 'bucket') },
      athena: { pollSeconds: 0.01, queryTimeoutSeconds: 20, bucket: BUCKET, ...overrides },
    },
    aws: { timeouts: { callSeconds: 5, accountSeconds: 20 } },
    report: { pdf: false },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tw-athena-setup-'));
  await writeLog(orgKey(MGMT, 'us-east-1', '2026/11/20', 'a'), [fillRecord({ recipientAccountId: MGMT }, 1)]);
  await writeLog(orgKey(DEV, 'us-east-1', '2026/11/20', 'a'), [fillRecord({ recipientAccountId: DEV }, 2)]);
  // The attack: an instance launched in the opt-in region the account enabled.
  await writeLog(orgKey(PROD, 'me-south-1', '2026/11/20', 'a'), [
    fillRecord(
      {
        recipientAccountId: PROD,
        awsRegion: 'me-south-1',
        eventName: 'RunInstances',
        requestParameters: '{"instancesSet":{"items":[{"imageId":"ami-0123456789abcdef0"}]}}',
      },
      3,
    ),
  ]);
  // Delivered after midnight into the next day's prefix: both engines must still find it.
  await writeLog(orgKey(DEV, 'eu-west-1', '2026/11/21', 'late'), [
    {
      ...fillRecord(
        { recipientAccountId: DEV, eventName: 'DeleteTrail', eventSource: 'cloudtrail.amazonaws.com' },
        4,
      ),
      eventTime: '2026-11-20T23:58:00Z',
    },
  ]);
  // Keys days away from the window are not read by either engine (partition pruning).
  await writeLog(orgKey(DEV, 'us-east-1', '2026/11/25', 'far'), [fillRecord({ recipientAccountId: DEV }, 5)]);
  // A per-account trail in the same bucket (AWSLogs/<account>/…).
  await writeLog(`AWSLogs/${DEV}/CloudTrail/eu-west-1/2026/11/20/${DEV}_CloudTrail_eu-west-1_own.json.gz`, [
    fillRecord(
      {
        recipientAccountId: DEV,
        awsRegion: 'eu-west-1',
        eventName: 'StopLogging',
        eventSource: 'cloudtrail.amazonaws.com',
      },
      6,
    ),
  ]);
  fake = await startFakeAws(org, {
    athena: {
      buckets: { [BUCKET]: join(dir, 'bucket') },
      pollsToFinish: 1,
      // `bare` has no query result location.
      workgroups: { primary: { outputLocation: 's3://tw-results/' }, bare: {} },
    },
  });
  configFile = join(dir, 'trailwatch.yaml');
  await writeFile(
    configFile,
    `engine:\n  type: athena\n  athena:\n    bucket: ${BUCKET}\n    prefix: ''\n    pollSeconds: 0.01\naws:\n  timeouts: { callSeconds: 5, accountSeconds: 20 }\n`,
  );
}, 60_000);

afterAll(async () => fake?.close());

describe('trailwatch athena setup --dry-run', () => {
  it('prints DDL naming every account of the snapshot and every region AWS has, for both layouts', async () => {
    const file = join(dir, 'dry.yaml');
    await writeFile(file, `engine:\n  athena:\n    bucket: acme-cloudtrail-logs\n`);
    const snapshot = await loadOrgSnapshot('samples/org-snapshot.json');
    const { code, out } = await runCli([
      'athena',
      'setup',
      '--dry-run',
      '--org-snapshot',
      'samples/org-snapshot.json',
      '--config',
      file,
    ]);
    expect(code).toBe(0);
    const tables = out.split('CREATE EXTERNAL TABLE IF NOT EXISTS').slice(1);
    expect(tables).toHaveLength(2);
    const [orgTable, accountTable] = tables as [string, string];
    expect(orgTable).toContain(
      `'storage.location.template' = 's3://acme-cloudtrail-logs/AWSLogs/${snapshot.organizationId}/\${account}/CloudTrail/\${region}/\${day}'`,
    );
    expect(accountTable).toContain(
      `'storage.location.template' = 's3://acme-cloudtrail-logs/AWSLogs/\${account}/CloudTrail/\${region}/\${day}'`,
    );
    for (const ddl of tables) {
      const accounts = /'projection\.account\.values' = '([^']*)'/.exec(ddl)![1]!.split(',');
      const regions = /'projection\.region\.values' = '([^']*)'/.exec(ddl)![1]!.split(',');
      expect(accounts).toEqual(snapshot.accounts.map((a) => a.id).sort());
      expect(regions).toEqual(ALL_REGIONS);
      expect(regions).toEqual(
        expect.arrayContaining(['af-south-1', 'ap-east-1', 'me-south-1', 'il-central-1']),
      );
    }
    expect(out).toContain('CREATE DATABASE IF NOT EXISTS `trailwatch_staging`;');
  });

  it('refuses a config without the bucket, naming the key (exit code 3)', async () => {
    const file = join(dir, 'nobucket.yaml');
    await writeFile(file, `engine:\n  athena:\n    organizationId: o-abcdefghij\n`);
    const { code, err } = await runCli([
      'athena',
      'setup',
      '--dry-run',
      '--org-snapshot',
      'samples/org-snapshot.json',
      '--config',
      file,
    ]);
    expect(code).toBe(3);
    expect(err).toContain('engine.athena.bucket');
  });
});

describe('trailwatch athena setup against the fake AWS', () => {
  it('creates both tables projecting every discovered account and every region, and is idempotent', async () => {
    const lines: string[] = [];
    const code = await runAthenaSetup(
      { config: configFile },
      { deps: fakeDeps(fake), log: silentLogger, print: (l) => lines.push(l) },
    );
    expect(code).toBe(0);
    const orgTable = fake.glue.getTable('default', 'cloudtrail_logs')!;
    const accountTable = fake.glue.getTable('default', 'cloudtrail_logs_accounts')!;
    for (const table of [orgTable, accountTable]) {
      expect(table.Parameters['projection.account.values']).toBe([MGMT, DEV, PROD].join(','));
      expect(table.Parameters['projection.region.values']).toBe(ALL_REGIONS.join(','));
    }
    expect(orgTable.Parameters['storage.location.template']).toBe(
      `s3://${BUCKET}/AWSLogs/${org.id}/\${account}/CloudTrail/\${region}/\${day}`,
    );
    expect(fake.glue.databases.has('trailwatch_staging')).toBe(true);
    expect(lines[0]).toMatch(/^default\.cloudtrail_logs \(organization layout\): 3 accounts, \d+ regions$/);

    const updates = fake.glue.updates.length;
    const versions = [orgTable.VersionId, accountTable.VersionId];
    expect(
      await runAthenaSetup(
        { config: configFile },
        { deps: fakeDeps(fake), log: silentLogger, print: () => undefined },
      ),
    ).toBe(0);
    expect(fake.glue.updates.length).toBe(updates);
    expect([
      fake.glue.getTable('default', 'cloudtrail_logs')!.VersionId,
      fake.glue.getTable('default', 'cloudtrail_logs_accounts')!.VersionId,
    ]).toEqual(versions);
  });

  it('brings a stale existing table up to the organization again (CREATE IF NOT EXISTS alone would not)', async () => {
    const table = fake.glue.getTable('default', 'cloudtrail_logs')!;
    table.Parameters['projection.account.values'] = MGMT;
    const lines: string[] = [];
    expect(
      await runAthenaSetup(
        { config: configFile },
        { deps: fakeDeps(fake), log: silentLogger, print: (l) => lines.push(l) },
      ),
    ).toBe(0);
    expect(fake.glue.getTable('default', 'cloudtrail_logs')!.Parameters['projection.account.values']).toBe(
      [MGMT, DEV, PROD].join(','),
    );
    expect(lines[0]).toContain('added 2 accounts and 0 regions');
  });
});

describe('trailwatch athena setup with a hub role', () => {
  it("builds the hub-role chain once: discovery, Athena and Glue share the command's one client factory", async () => {
    const hubOrg = generateOrg(2);
    hubOrg.hubRoleArn = 'arn:aws:iam::999999999999:role/TrailwatchHub';
    const hubFake = await startFakeAws(hubOrg, {
      athena: {
        buckets: { [BUCKET]: join(dir, 'bucket') },
        pollsToFinish: 1,
        workgroups: { primary: { outputLocation: 's3://tw-results/' } },
      },
    });
    try {
      const file = join(dir, 'hub.yaml');
      await writeFile(
        file,
        `engine:\n  type: athena\n  athena:\n    bucket: ${BUCKET}\n    pollSeconds: 0.01\n` +
          `aws:\n  hubRoleArn: ${hubOrg.hubRoleArn}\n  managementAccountId: '${hubOrg.managementAccountId}'\n`,
      );
      const code = await runAthenaSetup(
        { config: file },
        { deps: fakeDeps(hubFake), log: silentLogger, print: () => undefined },
      );
      expect(code).toBe(0);
      expect(hubFake.glue.getTable('default', 'cloudtrail_logs')).toBeDefined();
      const hub = hubFake.assumeRoles.filter((r) => r.roleArn === hubOrg.hubRoleArn);
      expect(hub.map((r) => r.outcome)).toEqual(['issued']);
    } finally {
      await hubFake.close();
    }
  });
});

describe('trailwatch athena check against the fake AWS', () => {
  async function check(athena: Record<string, unknown> = {}): Promise<{ code: number; lines: string[] }> {
    const file = join(dir, `check-${Math.random().toString(36).slice(2)}.yaml`);
    const settingsText = Object.entries({ bucket: BUCKET, pollSeconds: 0.01, ...athena })
      .map(([k, v]) => `    ${k}: ${String(v)}`)
      .join('\n');
    await writeFile(
      file,
      `engine:\n  type: athena\n  athena:\n${settingsText}\naws:\n  timeouts: { callSeconds: 5, accountSeconds: 20 }\n`,
    );
    const lines: string[] = [];
    const code = await runAthenaCheck(
      { config: file },
      { deps: fakeDeps(fake), log: silentLogger, print: (l) => lines.push(l) },
    );
    return { code, lines };
  }

  it('passes every check on the tables setup made', async () => {
    const { code, lines } = await check();
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(lines).toContain('ok   workgroup primary: exists (ENABLED)');
    expect(lines).toContain('ok   query result location: s3://tw-results/');
    expect(
      lines.some((l) => l.startsWith('ok   table default.cloudtrail_logs: projects all 3 accounts')),
    ).toBe(true);
    expect(
      lines.filter((l) => /^ok {3}read default\.cloudtrail_logs(_accounts)? for \d{4}\/\d{2}\/\d{2}/.test(l)),
    ).toHaveLength(2);
    expect(lines.at(-1)).toBe('Athena is ready.');
    expect(code).toBe(0);
  });

  it('says a projection is stale, naming the account, and what to do (exit 2)', async () => {
    const table = fake.glue.getTable('default', 'cloudtrail_logs')!;
    const listed = table.Parameters['projection.account.values']!;
    table.Parameters['projection.account.values'] = [MGMT, DEV].join(',');
    try {
      const { code, lines } = await check();
      const at = lines.findIndex((l) => l.startsWith('FAIL table default.cloudtrail_logs:'));
      expect(lines[at]).toBe(
        `FAIL table default.cloudtrail_logs: stale projection: accounts ${PROD} not read`,
      );
      expect(lines[at + 1]).toMatch(/what to do: run `trailwatch athena setup`/);
      expect(code).toBe(2);
    } finally {
      table.Parameters['projection.account.values'] = listed;
    }
  });

  it('says which table is missing, and that setup creates it', async () => {
    const { code, lines } = await check({ table: 'no_such_table' });
    const at = lines.findIndex((l) => l.startsWith('FAIL table default.no_such_table:'));
    expect(lines[at]).toMatch(/EntityNotFoundException|not found/);
    expect(lines[at + 1]).toBe('     what to do: run `trailwatch athena setup`');
    expect(code).toBe(2);
  });

  it('tells a missing workgroup from one without a result location', async () => {
    const missing = await check({ workgroup: 'nope' });
    expect(missing.lines.find((l) => l.startsWith('FAIL workgroup nope'))).toMatch(/is not found/);
    expect(missing.lines).toContain(
      '     what to do: create the workgroup, or set engine.athena.workgroup to one that exists',
    );
    const bare = await check({ workgroup: 'bare' });
    expect(bare.lines).toContain(
      'FAIL query result location: neither the workgroup nor engine.athena.outputLocation names one',
    );
    expect(bare.lines).toContain(
      '     what to do: give the workgroup a query result location, or set engine.athena.outputLocation',
    );
    expect(bare.code).toBe(2);
    expect((await check({ workgroup: 'bare', outputLocation: 's3://tw-results/x/' })).code).toBe(0);
  });

  it('tells access denied on the bucket from access denied on the KMS key', async () => {
    fake.athena!.faults.push({
      match: /LIMIT 1$/,
      kind: 'fail',
      times: 2,
      reason: 'Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied)',
    });
    const bucket = await check();
    expect(
      bucket.lines.filter((l) =>
        l.includes('what to do: the runner (or hub) role may not read the trail bucket'),
      ),
    ).toHaveLength(2);
    fake.athena!.faults.length = 0;
    fake.athena!.faults.push({
      match: /LIMIT 1$/,
      kind: 'fail',
      times: 2,
      reason:
        'HIVE_CANNOT_OPEN_SPLIT: Error opening Hive split: User is not authorized to perform kms:Decrypt (Service: AWSKMS; Error Code: AccessDeniedException)',
    });
    const key = await check();
    fake.athena!.faults.length = 0;
    expect(key.lines.filter((l) => l.includes('allow kms:Decrypt on that key'))).toHaveLength(2);
    expect(key.code).toBe(2);
  });
});

describe('the fake Athena reads only what projection lists', () => {
  async function count(sql: string): Promise<{ n: number; partitions: string[] }> {
    const config = settings();
    const client = createClientFactory(config.aws!, fakeDeps(fake)).athena();
    try {
      const runner = createAthenaRunner({ config: config.engine.athena, client, log: silentLogger });
      const { queryId } = await runner.execute(sql, [], 'default');
      let n = -1;
      for await (const row of runner.results(queryId)) n = Number(row.n);
      return { n, partitions: fake.athena!.queries.find((q) => q.id === queryId)!.partitionsRead };
    } finally {
      client.destroy();
    }
  }

  it('sees an account’s logs only while the account is listed', async () => {
    const table = fake.glue.getTable('default', 'cloudtrail_logs')!;
    const listed = table.Parameters['projection.account.values']!;
    expect((await count(`SELECT count(*) AS n FROM cloudtrail_logs WHERE account = '${PROD}'`)).n).toBe(1);
    table.Parameters['projection.account.values'] = [MGMT, DEV].join(',');
    const blind = await count(`SELECT count(*) AS n FROM cloudtrail_logs WHERE account = '${PROD}'`);
    table.Parameters['projection.account.values'] = listed;
    expect(blind).toEqual({ n: 0, partitions: [] });
  });

  it('sees an opt-in region only while it is listed, and prunes by literal day predicates', async () => {
    const table = fake.glue.getTable('default', 'cloudtrail_logs')!;
    const listed = table.Parameters['projection.region.values']!;
    table.Parameters['projection.region.values'] = ALL_REGIONS.filter((r) => r !== 'me-south-1').join(',');
    const blind = await count(`SELECT count(*) AS n FROM cloudtrail_logs WHERE region = 'me-south-1'`);
    table.Parameters['projection.region.values'] = listed;
    expect(blind.n).toBe(0);
    const pruned = await count(
      `SELECT count(*) AS n FROM cloudtrail_logs WHERE day BETWEEN '2026/11/19' AND '2026/11/22'`,
    );
    expect(pruned.partitions).toEqual([
      `cloudtrail_logs:${MGMT}/us-east-1/2026/11/20`,
      `cloudtrail_logs:${DEV}/eu-west-1/2026/11/21`,
      `cloudtrail_logs:${DEV}/us-east-1/2026/11/20`,
      `cloudtrail_logs:${PROD}/me-south-1/2026/11/20`,
    ]);
    expect((await count('SELECT count(*) AS n FROM cloudtrail_logs')).partitions).toContain(
      `cloudtrail_logs:${DEV}/us-east-1/2026/11/25`,
    );
  });

  it('refuses a parameter outside a WHERE clause, and one whose literal is longer than 1,024 characters', async () => {
    const config = settings();
    const client = createClientFactory(config.aws!, fakeDeps(fake)).athena();
    try {
      const runner = createAthenaRunner({ config: config.engine.athena, client, log: silentLogger });
      await expect(runner.execute('SELECT ? AS n', ['x'], 'default')).rejects.toThrow(
        /only in a WHERE clause/,
      );
      await expect(
        runner.execute("SELECT 1 AS n WHERE ? <> ''", ['a'.repeat(1023)], 'default'),
      ).rejects.toThrow(/over Athena's limit of 1024/);
      await expect(
        runner.execute("SELECT 1 AS n WHERE ? <> ''", ['a'.repeat(1022)], 'default'),
      ).resolves.toBeDefined();
    } finally {
      client.destroy();
    }
  });
});

describe('the daily run keeps the tables in step with the organization', () => {
  // The table as it was before PROD joined and enabled me-south-1.
  function makeStale(): void {
    for (const name of ['cloudtrail_logs', 'cloudtrail_logs_accounts']) {
      const table = fake.glue.getTable('default', name)!;
      table.Parameters['projection.account.values'] = [MGMT, DEV].join(',');
      table.Parameters['projection.region.values'] = ALL_REGIONS.filter((r) => r !== 'me-south-1').join(',');
    }
  }

  async function daily(config: Config, out: string): Promise<FindingsFile> {
    return runDaily({
      config,
      date: DATE,
      outDir: join(dir, out),
      log: silentLogger,
      deps: fakeDeps(fake),
      email: false,
    });
  }

  it('with syncTable on: adds the account and the opt-in region, is complete, and finds the launch there', async () => {
    makeStale();
    const updates = fake.glue.updates.length;
    const config = settings();
    const doc = await daily(config, 'sync-on');
    expect(fake.glue.updates.length - updates).toBe(2);
    expect(doc.errors.filter((e) => e.code.startsWith('athena-table'))).toEqual([]);
    expect(
      doc.run.athenaTables?.map((t) => [t.table, t.matchedBefore, t.addedAccounts, t.addedRegions]),
    ).toEqual([
      ['cloudtrail_logs', false, [PROD], ['me-south-1']],
      ['cloudtrail_logs_accounts', false, [PROD], ['me-south-1']],
    ]);
    expect(
      doc.findings
        .filter((f) => f.ruleId === 'unapproved-region-activity')
        .map((f) => [f.accountId, f.region, f.eventName]),
    ).toEqual([[PROD, 'me-south-1', 'RunInstances']]);
    expect(doc.run.complete).toBe(true);
    expect(exitCodeFor(doc, config)).not.toBe(2);
    const text = await readFile(join(dir, 'sync-on', 'digest.txt'), 'utf8');
    expect(text).toContain(
      `Athena table: default.cloudtrail_logs (organization trail): matched after this run added accounts ${PROD} and regions me-south-1`,
    );
  }, 60_000);

  it('with syncTable off: both gaps are coverage problems, the run is incomplete (exit 2) and the evidence says so', async () => {
    makeStale();
    const updates = fake.glue.updates.length;
    const config = settings({ syncTable: false });
    const doc = await daily(config, 'sync-off');
    expect(fake.glue.updates.length).toBe(updates);
    const gaps = doc.errors.filter((e) => e.code.startsWith('athena-table')).map((e) => [e.code, e.id]);
    expect(gaps).toEqual([
      ['athena-table-missing-account', PROD],
      ['athena-table-missing-region', 'me-south-1'],
      ['athena-table-missing-account', PROD],
      ['athena-table-missing-region', 'me-south-1'],
    ]);
    expect(doc.run.complete).toBe(false);
    expect(exitCodeFor(doc, config)).toBe(2);
    // Blind where the attack happened: the rule cannot see the launch.
    expect(doc.findings.filter((f) => f.ruleId === 'unapproved-region-activity')).toEqual([]);
    const text = await readFile(join(dir, 'sync-off', 'digest.txt'), 'utf8');
    expect(text).toContain(
      `Athena table: default.cloudtrail_logs (organization trail): does NOT cover the organization: accounts ${PROD}; regions me-south-1 not read`,
    );
    const findings = JSON.parse(
      await readFile(join(dir, 'sync-off', 'findings.json'), 'utf8'),
    ) as FindingsFile;
    expect(findings.run.athenaTables?.[0]).toMatchObject({
      matchedBefore: false,
      missingAccounts: [PROD],
      missingRegions: ['me-south-1'],
    });
  }, 60_000);

  it('reads the same delivery days as the local engine: the late delivery found, the far day not read', async () => {
    const athena = await daily(settings(), 'days-athena');
    const local = await daily(
      parseConfig({ ...settings(), engine: { type: 'duckdb', duckdb: { logs: join(dir, 'bucket') } } }),
      'days-local',
    );
    const key = (doc: FindingsFile) => doc.findings.map((f) => `${f.ruleId} ${f.eventId ?? ''}`).sort();
    expect(key(athena)).toEqual(key(local));
    expect(athena.run.eventsRead).toBe(local.run.eventsRead);
    expect(athena.findings.some((f) => f.eventName === 'DeleteTrail')).toBe(true);
    expect(athena.findings.some((f) => f.eventName === 'StopLogging')).toBe(true);
    const ctas = fake.athena!.queries.filter((q) => q.sql.startsWith('CREATE TABLE')).at(-1)!;
    expect(ctas.partitionsRead.some((p) => p.endsWith('2026/11/25'))).toBe(false);
    expect(ctas.partitionsRead).toContain(`cloudtrail_logs:${DEV}/eu-west-1/2026/11/21`);
    expect(ctas.partitionsRead).toContain(`cloudtrail_logs_accounts:${DEV}/eu-west-1/2026/11/20`);
  }, 60_000);

  it('names an object Athena cannot read, leaves it out and evaluates the rest', async () => {
    const key = orgKey(MGMT, 'us-east-1', '2026/11/20', 'broken');
    await mkdir(dirname(join(dir, 'bucket', key)), { recursive: true });
    await writeFile(join(dir, 'bucket', key), 'not gzip at all');
    try {
      const doc = await daily(settings(), 'bad-object');
      const object = `s3://${BUCKET}/${key}`;
      expect(doc.errors.filter((e) => e.code === 'object-unreadable').map((e) => e.id)).toEqual([object]);
      expect(doc.errors.find((e) => e.id === object)?.message).toMatch(/GZIP|gzip/);
      expect(doc.errors.some((e) => e.code === 'staging-failed')).toBe(false);
      expect(doc.run.rules.every((r) => r.status !== 'failed')).toBe(true);
      expect(
        doc.findings.some((f) => f.ruleId === 'unapproved-region-activity' && f.region === 'me-south-1'),
      ).toBe(true);
      expect(doc.run.complete).toBe(false);
      const stagings = fake.athena!.queries.filter((q) => q.sql.startsWith('CREATE TABLE')).slice(-2);
      expect(stagings.map((q) => q.state)).toEqual(['FAILED', 'SUCCEEDED']);
      expect(stagings[1]!.sql).toContain('"$path" <> ?');
      expect(stagings[1]!.parameters).toContain(`'${object}'`);
    } finally {
      await rm(join(dir, 'bucket', key));
    }
  }, 60_000);
});
