import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseConfig } from '../config/load.js';
import { openDuckDbEngine } from '../engine/duckdb.js';
import { silentLogger } from '../shared/log.js';
import { columnsReadBy } from './columns.js';
import { bindValues, runRule, type RawFinding } from './evaluate.js';
import type { RuleDefinition, RuleTestCase } from './types.js';

/** The account the filled-in test records belong to unless a case says otherwise. */
export const TEST_ACCOUNT = '111122223333';

/**
 * Fills a realistic CloudTrail record around the fields a test case gives (those fields win; a given
 * `userIdentity` replaces the default identity entirely, so a case states exactly who acted).
 */
export function fillRecord(fields: Record<string, unknown>, index: number): Record<string, unknown> {
  const id = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  const minute = String(index % 60).padStart(2, '0');
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEPRINCIPAL1',
      arn: `arn:aws:iam::${TEST_ACCOUNT}:user/alice`,
      accountId: TEST_ACCOUNT,
      accessKeyId: 'AKIAEXAMPLEKEYID0001',
      userName: 'alice',
    },
    eventTime: `2026-11-20T12:${minute}:00Z`,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.17.0 Python/3.11.8 Linux/6.1 exe/x86_64',
    requestParameters: null,
    responseElements: null,
    requestID: `req-${id}`,
    eventID: id,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: TEST_ACCOUNT,
    eventCategory: 'Management',
    ...fields,
  };
}

/**
 * Deletes the dotted field paths from a filled record, so a case really lacks a field CloudTrail omits for
 * some events, eras or services (readOnly, userIdentity.arn, recipientAccountId…) rather than carrying the
 * runner's default. A path that is not there is already omitted.
 */
export function omitFields(record: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const copy = structuredClone(record);
  for (const path of paths) {
    const keys = path.split('.');
    const last = keys.pop()!;
    let node: unknown = copy;
    for (const key of keys) node = isObject(node) ? node[key] : undefined;
    if (isObject(node)) delete node[last];
  }
  return copy;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The outcome of one inline case. */
export interface CaseResult {
  rule: string;
  name: string;
  expect: 'match' | 'no-match';
  passed: boolean;
  findings: RawFinding[];
  error?: string;
}

/**
 * Runs one inline case on a real DuckDB engine: writes its records as a gzipped CloudTrail file in the S3
 * layout, stages it, runs the rule (optionally with a replaced SQL text), and checks the outcome.
 */
export async function runTestCase(
  rule: RuleDefinition,
  testCase: RuleTestCase,
  sql = rule.sql,
): Promise<CaseResult> {
  const dir = await mkdtemp(join(tmpdir(), 'trailwatch-case-'));
  const records = testCase.events.map((e, i) => omitFields(fillRecord(e, i + 1), testCase.omit ?? []));
  const region = String(records[0]?.awsRegion ?? 'us-east-1');
  const account = String(records[0]?.recipientAccountId ?? TEST_ACCOUNT);
  const folder = join(dir, 'AWSLogs', account, 'CloudTrail', region, '2026', '11', '20');
  await mkdir(folder, { recursive: true });
  await writeFile(
    join(folder, `${account}_CloudTrail_${region}_20261120T1200Z_case.json.gz`),
    gzipSync(JSON.stringify({ Records: records })),
  );
  // In this process: our own tiny generated file, where a staging process per case would cost half a second.
  const engine = await openDuckDbEngine({ logs: dir, log: silentLogger, progress: false, threads: 1, isolate: false });
  try {
    // Staged as in a real run: only the columns the rule reads.
    await engine.stage({ since: null, until: null }, columnsReadBy([rule]));
    const config = parseConfig({});
    const { values, missing } = bindValues(rule, { since: null, until: null }, config, testCase.parameters);
    if (missing.length > 0) throw new Error(`case needs parameters: ${missing.join(', ')}`);
    const { findings } = await runRule(engine, { ...rule, sql }, values);
    const matched = findings.length > 0;
    return {
      rule: rule.id,
      name: testCase.name,
      expect: testCase.expect,
      passed: matched === (testCase.expect === 'match'),
      findings,
    };
  } catch (error) {
    return {
      rule: rule.id,
      name: testCase.name,
      expect: testCase.expect,
      passed: false,
      findings: [],
      error: (error as Error).message,
    };
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}
