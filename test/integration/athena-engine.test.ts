import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory } from '../../src/aws/clients.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { detect } from '../../src/rules/query.js';
import { openAthenaEngine } from '../../src/engine/athena.js';
import { fitToAthenaLimits } from '../../src/engine/athena-sql.js';
import type { FindingsFile } from '../../src/model.js';
import { loadRules } from '../../src/rules/load.js';
import { fillRecord } from '../../src/rules/test-cases.js';
import type { RuleDefinition } from '../../src/rules/types.js';
import { runDaily } from '../support/daily-run.js';
import { generateSampleOrg } from '../../src/samples/generate.js';
import { silentLogger } from '../../src/shared/log.js';
import { dayWindow } from '../../src/shared/window.js';
import { generateOrg, startFakeAws, type FakeAws } from '../../tools/fake-aws/index.js';
import { DEVELOPER_AMI } from '../../src/samples/bystanders.js';
import { ACCOUNTS, APPROVED_AMI, ORG_ID } from '../../src/samples/org.js';
import { createFakeTables } from './fake-aws/athena-tables.js';
import { fakeDeps } from './fake-aws/deps.js';

const DATE = '2026-11-20';
// 60 approved images: one comma list of ~1,300 characters, over Athena's 1,024 per parameter. The
// developer's image comes last, so it is approved only if every chunk of the split list is bound.
const SIXTY_AMIS = [
  APPROVED_AMI,
  ...Array.from({ length: 58 }, (_, i) => `ami-${String(i).padStart(17, '0')}`),
  DEVELOPER_AMI,
];
let fake: FakeAws;
let logs: string;
let dir: string;
let rules: RuleDefinition[];

function settings(engine: 'athena' | 'duckdb'): Config {
  return parseConfig({
    organization: 'Athena Test Org',
    approvedRegions: ['us-east-1', 'eu-west-1', 'us-west-2'],
    approvedImages: SIXTY_AMIS,
    engine: {
      type: engine,
      duckdb: { logs },
      athena: {
        pollSeconds: 0.01,
        queryTimeoutSeconds: 20,
        outputLocation: 's3://tw-results/athena/',
        usdPerTerabyte: 6.25,
      },
    },
    aws: { timeouts: { callSeconds: 5, accountSeconds: 20 } },
    report: { pdf: false },
  });
}

// Records whose requestParameters is text that is not JSON (a pipeline that truncated or re-encoded it):
// Athena answers NULL for their JSON paths and goes on; the embedded engine must too, not fail the rule.
const ODD_SHAPES = [
  { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', requestParameters: '{"userName": "trunc' },
  { eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', requestParameters: 'bucketName=exports' },
  {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'AuthorizeSecurityGroupIngress',
    requestParameters: 'not json',
  },
  { eventSource: 'rds.amazonaws.com', eventName: 'ModifyDBSnapshotAttribute', requestParameters: '[' },
  { eventSource: 'route53.amazonaws.com', eventName: 'ChangeResourceRecordSets', requestParameters: '' },
  { eventSource: 'cloudtrail.amazonaws.com', eventName: 'PutEventSelectors', requestParameters: '{' },
].map((fields, i) => ({ ...fields, eventID: `0dd54a9e-0000-4000-8000-${String(i).padStart(12, '0')}` }));

/** The folder of one day's log files of one account and region in the generated organization. */
async function dayFolder(root: string): Promise<{ path: string; account: string }> {
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const match = /AWSLogs\/(?:o-[a-z0-9]+\/)?([0-9]{12})\/CloudTrail\/us-east-1\/2026\/11\/20$/.exec(path);
    if (entry.isDirectory() && match) return { path, account: match[1]! };
  }
  throw new Error('the generated organization has no us-east-1 logs for 2026-11-20');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tw-athena-int-'));
  await generateSampleOrg(join(dir, 'logs'), { events: 3000 });
  const folder = await dayFolder(join(dir, 'logs', 'AWSLogs'));
  const odd = ODD_SHAPES.map((fields, i) =>
    fillRecord(
      { ...fields, eventTime: `2026-11-20T13:0${i}:00Z`, recipientAccountId: folder.account },
      i + 1,
    ),
  );
  await writeFile(
    join(folder.path, `${folder.account}_CloudTrail_us-east-1_20261120T1310Z_oddshapes.json.gz`),
    gzipSync(JSON.stringify({ Records: odd })),
  );
  logs = join(dir, 'logs', 'AWSLogs');
  fake = await startFakeAws(generateOrg(3), {
    athena: { buckets: { 'tw-trail': join(dir, 'logs') }, pollsToFinish: 2 },
  });
  // The tables as `athena setup` makes them for the sample organization whose logs the bucket holds.
  await createFakeTables(fake, {
    bucket: 'tw-trail',
    organizationId: ORG_ID,
    accounts: ACCOUNTS.map((a) => a.id),
  });
  rules = await loadRules();
}, 60_000);

afterAll(async () => fake.close());

function athenaEngine(config: Config) {
  const client = createClientFactory(config.aws!, fakeDeps(fake)).athena();
  return openAthenaEngine({ config: config.engine.athena, client, log: silentLogger });
}

describe('detect on the Athena engine over the fake Athena', () => {
  it('reads the raw table once per run; every rule runs against the staged table', async () => {
    const config = settings('athena');
    const before = fake.athena!.queries.length;
    const engine = athenaEngine(config);
    const result = await detect(engine, rules, config, dayWindow(DATE), silentLogger);
    await engine.close();
    const queries = fake.athena!.queries.slice(before);

    expect(queries.filter((q) => q.readsRaw)).toHaveLength(1);
    expect(queries.filter((q) => q.readsRaw)[0]!.sql).toMatch(/^CREATE TABLE /);
    expect(result.runs.every((r) => r.status === 'ran')).toBe(true);
    const ruleQueries = queries.filter((q) => q.sql.includes('WITH cloudtrail_logs AS (SELECT * FROM'));
    expect(ruleQueries).toHaveLength(rules.length);
    expect(ruleQueries.every((q) => q.database === 'trailwatch_staging' && !q.readsRaw)).toBe(true);
    for (const run of result.runs) {
      const query = queries.find((q) => q.id === run.queryId);
      // As sent: a list over Athena's parameter limit is bound in chunks (fitToAthenaLimits).
      const sent = fitToAthenaLimits(run.sql, run.parameters).sql;
      expect(query?.sql, run.ruleId).toContain(sent.trim().split('\n').at(-1)!.trim());
      expect(run.bytesScanned).toBeGreaterThan(0);
      expect(run.bytesScanned).toBeLessThan(fake.athena!.rawBytes);
    }
    expect(result.stage?.events).toBeGreaterThan(0);
    // Staging reports what its CTAS scanned: the compressed bytes of every file of the window's days.
    const ctas = queries.find((q) => q.readsRaw)!;
    expect(ctas.bytes).toBe(ctas.filesBytes);
    expect(ctas.bytes).toBeGreaterThan(0.9 * fake.athena!.rawBytes);
    expect(result.stage?.bytesRead).toBeGreaterThanOrEqual(ctas.bytes);
    expect(queries.at(-1)!.sql).toMatch(/^DROP TABLE IF EXISTS `trailwatch_staging`\.`cloudtrail_logs_/);
  }, 60_000);

  it('records a rule whose query FAILED as failed and still runs the others', async () => {
    const config = settings('athena');
    fake.athena!.faults.push({
      match: /^-- kms-key-deletion:/,
      kind: 'fail',
      reason: 'HIVE_CURSOR_ERROR: bad file',
    });
    const engine = athenaEngine(config);
    const subset = rules.filter((r) => ['kms-key-deletion', 'root-usage', 'trail-tampering'].includes(r.id));
    const result = await detect(engine, subset, config, dayWindow(DATE), silentLogger);
    await engine.close();
    fake.athena!.faults.length = 0;

    expect(result.runs.map((r) => [r.ruleId, r.status])).toEqual(
      subset.map((r) => [r.id, r.id === 'kms-key-deletion' ? 'failed' : 'ran']),
    );
    expect(result.runs.find((r) => r.ruleId === 'kms-key-deletion')?.reason).toMatch(
      /FAILED: HIVE_CURSOR_ERROR: bad file/,
    );
    expect(result.errors).toEqual([
      expect.objectContaining({ scope: 'rule', id: 'kms-key-deletion', code: 'rule-failed' }),
    ]);
  }, 30_000);

  it('reports every rule as not evaluated when the staging CTAS fails', async () => {
    const config = settings('athena');
    fake.athena!.faults.push({
      match: /^CREATE TABLE/,
      kind: 'fail',
      reason: 'AccessDeniedException: glue:CreateTable',
      times: 1,
    });
    const engine = athenaEngine(config);
    const result = await detect(engine, rules.slice(0, 2), config, dayWindow(DATE), silentLogger);
    await engine.close();

    expect(result.runs.map((r) => r.status)).toEqual(['failed', 'failed']);
    // The engine's failure, then each rule named as not evaluated.
    expect(result.errors).toEqual([
      expect.objectContaining({ scope: 'engine', id: 'athena', code: 'staging-failed' }),
      ...rules
        .slice(0, 2)
        .map((r) => expect.objectContaining({ scope: 'rule', id: r.id, code: 'rule-not-evaluated' })),
    ]);
    expect(result.errors[0]!.message).toMatch(/glue:CreateTable/);
  }, 30_000);
});

describe('runDaily with engine.type athena', () => {
  let athenaDoc: FindingsFile;
  let duckDoc: FindingsFile;
  let athenaOut: string;

  beforeAll(async () => {
    athenaOut = join(dir, 'out-athena');
    const config = settings('athena');
    athenaDoc = await runDaily({
      config,
      date: DATE,
      outDir: athenaOut,
      log: silentLogger,
      deps: fakeDeps(fake),
      email: false,
    });
    const duck = settings('duckdb');
    duckDoc = await runDaily({
      config: duck,
      date: DATE,
      outDir: join(dir, 'out-duckdb'),
      log: silentLogger,
      deps: fakeDeps(fake),
      email: false,
    });
  }, 60_000);

  it('finds exactly what the embedded engine finds on the same files', () => {
    const key = (doc: FindingsFile) => doc.findings.map((f) => `${f.ruleId} ${f.eventId ?? ''}`).sort();
    expect(athenaDoc.findings.length).toBeGreaterThan(0);
    expect(key(athenaDoc)).toEqual(key(duckDoc));
    expect(athenaDoc.run.eventsRead).toBe(duckDoc.run.eventsRead);
  });

  it('evaluates every rule over records whose requestParameters is not JSON, with the same findings', () => {
    for (const doc of [athenaDoc, duckDoc]) {
      expect(
        doc.run.rules.filter((r) => r.status === 'failed').map((r) => `${r.ruleId}: ${r.reason ?? ''}`),
      ).toEqual([]);
      const odd = doc.findings.filter((f) => f.eventId?.startsWith('0dd54a9e-'));
      // Matched by event name alone; their JSON paths read NULL.
      expect(odd.map((f) => `${f.ruleId} ${f.eventName ?? ''}`).sort()).toEqual([
        'iam-critical-change CreateUser',
        'rds-snapshot-activity ModifyDBSnapshotAttribute',
        'route53-change ChangeResourceRecordSets',
        's3-bucket-policy-change PutBucketPolicy',
        'security-group-change AuthorizeSecurityGroupIngress',
      ]);
    }
  });

  it('binds a 60-image approved list as several parameters, each within Athena’s limit, with the same findings', () => {
    const run = athenaDoc.run.rules.find((r) => r.ruleId === 'unapproved-image')!;
    const query = fake.athena!.queries.find((q) => q.id === run.queryId)!;
    const chunks = query.parameters.filter((p) => p.includes('ami-'));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(1024);
    const images = (doc: FindingsFile) =>
      doc.findings
        .filter((f) => f.ruleId === 'unapproved-image')
        .map((f) => f.eventId)
        .sort();
    expect(images(athenaDoc).length).toBeGreaterThan(0);
    expect(images(athenaDoc)).toEqual(images(duckDoc));
    expect(
      athenaDoc.findings.some((f) => f.ruleId === 'unapproved-image' && f.summary.includes(DEVELOPER_AMI)),
    ).toBe(false);
  });

  it('records the engine, each rule’s query id and bytes, and the coverage of the fake org', () => {
    expect(athenaDoc.run.engine).toBe('athena');
    expect(athenaDoc.run.source).toBe('Athena default.cloudtrail_logs (workgroup primary)');
    const ids = new Set(fake.athena!.queries.map((q) => q.id));
    for (const run of athenaDoc.run.rules.filter((r) => r.status === 'ran')) {
      expect(ids.has(run.queryId ?? ''), run.ruleId).toBe(true);
      expect(run.bytesScanned).toBeGreaterThan(0);
    }
    const ctas = fake.athena!.queries.find((q) => q.readsRaw && athenaDoc.run.rules.length > 0)!;
    expect(athenaDoc.run.bytesRead).toBeGreaterThanOrEqual(ctas.bytes);
    expect(athenaDoc.run.bytesRead).toBeGreaterThan(0.9 * fake.athena!.rawBytes);
    expect(athenaDoc.coverageSummary?.accountsTotal).toBe(3);
  });

  it('prices every billed query at the configured price, as Athena bills them, in findings.json and the digest', async () => {
    const ran = athenaDoc.run.rules.filter((r) => r.bytesScanned !== undefined);
    const cost = athenaDoc.run.athenaCost!;
    expect(cost.usdPerTerabyte).toBe(6.25);
    // The staging CTAS and every rule query that reported its scan.
    expect(cost.queries).toBe(1 + ran.length);
    expect(cost.scannedBytes).toBe(athenaDoc.run.bytesRead + ran.reduce((s, r) => s + r.bytesScanned!, 0));
    // The fake's day is small: every query is billed Athena's 10 MB minimum.
    expect(cost.billedBytes).toBe(cost.queries * 10 * 1024 * 1024);
    expect(cost.usd).toBeCloseTo((cost.billedBytes * 6.25) / 1e12, 12);
    const text = await readFile(join(athenaOut, 'digest.txt'), 'utf8');
    expect(text).toContain('Amazon Athena');
    expect(text).toContain(`$${cost.usd.toFixed(4)} (${cost.queries} queries at $6.25/TB`);
    expect(duckDoc.run.athenaCost).toBeUndefined();
  });
});
