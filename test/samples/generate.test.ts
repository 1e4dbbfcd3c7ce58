import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudTrailRecord } from '../../src/samples/cloudtrail.js';
import { generateSampleOrg } from '../../src/samples/generate.js';
import type { SampleManifest, SampleResult } from '../../src/samples/generate.js';
import { SAMPLE_RULE_IDS } from '../../src/samples/incident.js';

const PATH =
  /^AWSLogs\/o-acme12345\/(\d{12})\/CloudTrail\/([a-z]{2}-[a-z]+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{12})_CloudTrail_([a-z]{2}-[a-z]+-\d)_(\d{8})T(\d{4})Z_[A-Za-z0-9]{16}\.json\.gz$/;

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of await listFiles(dir)) {
    out[file] = createHash('sha256').update(await readFile(join(dir, file))).digest('hex');
  }
  return out;
}

let root: string;
let dirA: string;
let result: SampleResult;
let records: { path: string; record: CloudTrailRecord }[];
let paths: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'trailwatch-samples-'));
  dirA = join(root, 'a');
  result = await generateSampleOrg(dirA);
  paths = (await listFiles(dirA)).filter((f) => f.endsWith('.json.gz'));
  records = [];
  for (const path of paths) {
    const parsed = JSON.parse(gunzipSync(await readFile(join(dirA, path))).toString('utf8')) as {
      Records: CloudTrailRecord[];
    };
    for (const record of parsed.Records) records.push({ path, record });
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const incidentIds = (): Set<string> => new Set(Object.values(result.incident).flat());
const nearMissIds = (): Set<string> => new Set(Object.values(result.nearMisses).flat());
const noise = (): CloudTrailRecord[] => {
  const story = new Set([...incidentIds(), ...nearMissIds()]);
  return records.map((r) => r.record).filter((r) => !story.has(r.eventID));
};

describe('generateSampleOrg determinism', () => {
  it('writes byte-identical files for the same seed and different ones for another seed', async () => {
    const dirB = join(root, 'b');
    const dirC = join(root, 'c');
    await generateSampleOrg(dirB);
    await generateSampleOrg(dirC, { seed: 1 });
    const [a, b, c] = await Promise.all([hashes(dirA), hashes(dirB), hashes(dirC)]);
    expect(Object.keys(a).length).toBe(result.files + 1);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });
});

describe('generateSampleOrg layout', () => {
  it('writes a few hundred gzipped files in the organization trail layout, about 50,000 events over two days', () => {
    expect(paths.length).toBe(result.files);
    expect(result.files).toBeGreaterThan(150);
    expect(result.files).toBeLessThan(800);
    expect(result.events).toBe(50_000);
    expect(records.length).toBe(50_000);
    expect(result.days.map((d) => [d.date, d.events])).toEqual([
      ['2026-11-19', 25_000],
      ['2026-11-20', 25_000],
    ]);
    expect(result.days.reduce((n, d) => n + d.files, 0)).toBe(result.files);
  });

  it('puts each event in the file of its own account, region and day, sorted by time', () => {
    const byFile = new Map<string, CloudTrailRecord[]>();
    for (const { path, record } of records) {
      const m = PATH.exec(path);
      expect(m, path).not.toBeNull();
      const [, account, region, yyyy, mm, dd, account2, region2, stamp] = m ?? [];
      expect(account2).toBe(account);
      expect(region2).toBe(region);
      expect(['20261119', '20261120']).toContain(`${yyyy}${mm}${dd}`);
      expect(stamp).toBe(`${yyyy}${mm}${dd}`);
      expect(record.recipientAccountId).toBe(account);
      expect(record.awsRegion).toBe(region);
      expect(record.eventTime.slice(0, 10)).toBe(`${yyyy}-${mm}-${dd}`);
      const list = byFile.get(path) ?? [];
      list.push(record);
      byFile.set(path, list);
    }
    for (const list of byFile.values()) {
      const times = list.map((r) => r.eventTime);
      expect(times).toEqual([...times].sort());
    }
  });

  it('logs global services in us-east-1 only', () => {
    const global = ['iam.amazonaws.com', 'organizations.amazonaws.com', 'route53.amazonaws.com', 'signin.amazonaws.com'];
    const elsewhere = records.filter((r) => global.includes(r.record.eventSource) && r.record.awsRegion !== 'us-east-1');
    expect(elsewhere).toEqual([]);
  });
});

describe('generateSampleOrg realism', () => {
  it('keeps the noise mostly read-only', () => {
    const list = noise();
    const share = list.filter((r) => r.readOnly).length / list.length;
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.9);
  });

  it('has every kind of caller and every event type', () => {
    const types = new Set(records.map((r) => r.record.userIdentity.type));
    expect([...types].sort()).toEqual(['AWSAccount', 'AWSService', 'AssumedRole', 'FederatedUser', 'IAMUser', 'Root']);
    const eventTypes = new Set(records.map((r) => r.record.eventType));
    expect([...eventTypes].sort()).toEqual(['AwsApiCall', 'AwsConsoleSignIn', 'AwsServiceEvent']);
  });

  it('pairs event names with the service that owns them', () => {
    const known: Record<string, string> = {
      DescribeInstances: 'ec2.amazonaws.com',
      RunInstances: 'ec2.amazonaws.com',
      AuthorizeSecurityGroupIngress: 'ec2.amazonaws.com',
      ListRoles: 'iam.amazonaws.com',
      CreateUser: 'iam.amazonaws.com',
      Decrypt: 'kms.amazonaws.com',
      ScheduleKeyDeletion: 'kms.amazonaws.com',
      ListBuckets: 's3.amazonaws.com',
      PutBucketPolicy: 's3.amazonaws.com',
      ConsoleLogin: 'signin.amazonaws.com',
      StopLogging: 'cloudtrail.amazonaws.com',
      GetCallerIdentity: 'sts.amazonaws.com',
      ChangeResourceRecordSets: 'route53.amazonaws.com',
      ModifyDBSnapshotAttribute: 'rds.amazonaws.com',
      UpdateFunctionCode20150331v2: 'lambda.amazonaws.com',
    };
    const seen = new Set<string>();
    for (const { record } of records) {
      const source = known[record.eventName];
      if (!source) continue;
      expect(record.eventSource, record.eventName).toBe(source);
      seen.add(record.eventName);
    }
    expect([...seen].sort()).toEqual(Object.keys(known).sort());
  });

  it('writes the envelope fields a CloudTrail record has', () => {
    for (const { record } of records.slice(0, 2000)) {
      expect(['1.08', '1.09']).toContain(record.eventVersion);
      expect(record.eventTime).toMatch(/^2026-11-(19|20)T\d{2}:\d{2}:\d{2}Z$/);
      expect(record.eventID).toMatch(/^[0-9a-f-]{36}$/);
      expect(record.managementEvent).toBe(true);
      expect(record.eventCategory).toBe('Management');
      expect(typeof record.readOnly).toBe('boolean');
    }
  });

  it('keeps noise quiet for the rules: no sign-ins, root use or sensitive writes, few denials per principal', () => {
    const list = noise();
    expect(list.filter((r) => r.eventSource === 'signin.amazonaws.com')).toEqual([]);
    expect(list.filter((r) => r.userIdentity.type === 'Root')).toEqual([]);
    const watched = /^(iam|cloudtrail|config|organizations|route53)\.amazonaws\.com$/;
    expect(list.filter((r) => watched.test(r.eventSource) && !r.readOnly)).toEqual([]);
    expect(list.filter((r) => !r.readOnly && r.awsRegion === 'ap-southeast-2')).toEqual([]);
    const denied = new Map<string, number>();
    for (const r of list) {
      if (!r.errorCode) continue;
      // Per day: a rule's threshold counts refusals within the audited day.
      const key = `${r.eventTime.slice(0, 10)} ${r.userIdentity.arn ?? ''}`;
      denied.set(key, (denied.get(key) ?? 0) + 1);
    }
    expect(Math.max(0, ...denied.values())).toBeLessThan(3);
  });

  it('only runs the approved image in noise', () => {
    const images = noise()
      .filter((r) => r.eventName === 'RunInstances')
      .map((r) => JSON.stringify(r.requestParameters));
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toContain('ami-0a1b2c3d4e5f67890');
  });
});

describe('generateSampleOrg incident', () => {
  it('lists at least one event per rule, every one of them present in the logs', async () => {
    const byId = new Map(records.map((r) => [r.record.eventID, r.record]));
    for (const rule of SAMPLE_RULE_IDS) {
      expect(result.incident[rule]?.length ?? 0, rule).toBeGreaterThan(0);
      for (const id of result.incident[rule] ?? []) expect(byId.has(id), `${rule} ${id}`).toBe(true);
    }
    for (const id of nearMissIds()) expect(byId.has(id), id).toBe(true);
    const manifest = JSON.parse(await readFile(join(dirA, 'manifest.json'), 'utf8')) as SampleManifest;
    expect(manifest).toEqual({ seed: 20261120, date: '2026-11-20', ...result });
  });

  it('has a burst of at least six failed sign-ins from one address, and 15+ denials by one principal', () => {
    const byId = new Map(records.map((r) => [r.record.eventID, r.record]));
    const failures = (result.incident['console-login-failure'] ?? []).map((id) => byId.get(id));
    const perIp = new Map<string, number>();
    for (const r of failures) perIp.set(r?.sourceIPAddress ?? '', (perIp.get(r?.sourceIPAddress ?? '') ?? 0) + 1);
    expect(Math.max(...perIp.values())).toBeGreaterThanOrEqual(6);
    expect(failures.every((r) => r?.responseElements?.ConsoleLogin === 'Failure')).toBe(true);
    const denials = (result.incident['unauthorized-api-calls'] ?? []).map((id) => byId.get(id));
    expect(new Set(denials.map((r) => r?.userIdentity.arn)).size).toBe(1);
    expect(denials.length).toBeGreaterThanOrEqual(15);
  });

  it('opens port 22 to the world in the items form, ::/0 in ipv6Ranges and the legacy cidrIp form', () => {
    const byId = new Map(records.map((r) => [r.record.eventID, r.record]));
    const texts = (result.incident['security-group-open-world'] ?? []).map((id) => JSON.stringify(byId.get(id)?.requestParameters));
    expect(texts.some((t) => t.includes('"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}'))).toBe(true);
    expect(texts.some((t) => t.includes('"cidrIpv6":"::/0"'))).toBe(true);
    expect(texts.some((t) => /"cidrIp":"0\.0\.0\.0\/0"}$/.test(t))).toBe(true);
  });

  it('on the second day, stops acme-prod eu-west-1 before 09:00 and keeps every other account-region within six hours', () => {
    const last = new Map<string, string[]>();
    // The second day, the one with the gap (the first day's logs flow all day, as the check below shows).
    for (const { record } of records.filter((r) => r.record.eventTime.startsWith('2026-11-20'))) {
      const key = `${record.recipientAccountId}/${record.awsRegion}`;
      const times = last.get(key) ?? [];
      times.push(record.eventTime);
      last.set(key, times);
    }
    expect(last.size).toBe(20);
    for (const [key, times] of last) {
      const sorted = [...times].sort();
      const bounds = ['2026-11-20T00:00:00Z', ...sorted, '2026-11-21T00:00:00Z'].map((t) => Date.parse(t));
      let gap = 0;
      for (let i = 1; i < bounds.length; i += 1) gap = Math.max(gap, (bounds[i] ?? 0) - (bounds[i - 1] ?? 0));
      if (key === '444444444444/eu-west-1') {
        expect(sorted[sorted.length - 1]! < '2026-11-20T09:00:00Z').toBe(true);
        expect(gap).toBeGreaterThan(14 * 3600_000);
      } else {
        expect(gap, key).toBeLessThan(6 * 3600_000);
      }
    }
  });
});

describe('generateSampleOrg over two days', () => {
  const byId = (): Map<string, CloudTrailRecord> => new Map(records.map((r) => [r.record.eventID, r.record]));
  /** What makes a routine event's group: its rule-relevant identity (the role, not the session), call and account. */
  const shape = (r: CloudTrailRecord | undefined): string =>
    `${r?.userIdentity.sessionContext?.sessionIssuer?.arn ?? r?.userIdentity.arn}|${r?.eventName}|${r?.recipientAccountId}`;

  it('repeats the routine on both days: the same principals making the same calls in the same accounts', () => {
    const events = byId();
    const [first, second] = result.days;
    expect(first?.routine.length).toBeGreaterThan(10);
    const shapes = (ids: string[]): string[] => [...new Set(ids.map((id) => shape(events.get(id))))].sort();
    expect(shapes(first?.routine ?? [])).toEqual(shapes(second?.routine ?? []));
    for (const day of result.days)
      for (const id of day.routine) expect(events.get(id)?.eventTime.slice(0, 10), id).toBe(day.date);
  });

  it('puts the incident’s first steps (password spraying, the leaked key refused) on the first day, the rest on the second', () => {
    const events = byId();
    const [first, second] = result.days;
    const rulesOf = (day: typeof first, ids: string[]): string[] =>
      Object.entries(day?.incident ?? {})
        .filter(([, list]) => list.some((id) => ids.includes(id)))
        .map(([rule]) => rule)
        .sort();
    expect(rulesOf(first, first?.attack ?? [])).toEqual(['console-login-failure', 'unauthorized-api-calls']);
    expect(rulesOf(second, second?.attack ?? [])).toEqual(
      expect.arrayContaining(['trail-tampering', 'iam-critical-change', 'root-usage', 'security-group-open-world']),
    );
    expect(rulesOf(second, second?.attack ?? [])).not.toContain('unauthorized-api-calls');
    // No attacker step of the second day repeats one of the first: every one of them is new that day.
    const firstShapes = new Set((first?.attack ?? []).map((id) => shape(events.get(id))));
    expect((second?.attack ?? []).filter((id) => firstShapes.has(shape(events.get(id))))).toEqual([]);
  });
});
