import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createClientFactory } from '../../src/aws/clients.js';
import { RESPONSE_FIELDS_READ } from '../../src/aws/response-fields.js';
import { parseConfig } from '../../src/config/load.js';
import { fakeAccountId, generateOrg, startFakeAws } from '../../tools/fake-aws/index.js';
import { fakeDeps } from '../integration/fake-aws/deps.js';

// The SDK's model documentation: each interface of dist-types/models/*.d.ts with the doc comment of every
// member. AWS announces deprecations and retirements there first (`@deprecated`, or words in the text).
interface ShapeDoc {
  doc: string;
  members: Map<string, string>;
}

const cache = new Map<string, Map<string, ShapeDoc>>();

function modelDocs(sdkPackage: string): Map<string, ShapeDoc> {
  const cached = cache.get(sdkPackage);
  if (cached) return cached;
  const dir = join('node_modules', sdkPackage, 'dist-types', 'models');
  const shapes = new Map<string, ShapeDoc>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.d.ts'))) {
    let comment = '';
    let inComment = false;
    let current: ShapeDoc | null = null;
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const trimmed = line.trim();
      if (trimmed.startsWith('/**')) {
        inComment = true;
        comment = '';
      }
      if (inComment) {
        comment += `${trimmed}\n`;
        if (trimmed.endsWith('*/')) inComment = false;
        continue;
      }
      const opened = /^export interface (\w+)\b.*\{$/.exec(line);
      if (opened?.[1]) {
        current = { doc: comment, members: new Map() };
        shapes.set(opened[1], current);
        comment = '';
        continue;
      }
      if (line === '}') {
        current = null;
        continue;
      }
      const member = /^ {4}(\w+)\??: /.exec(line);
      if (current && member?.[1]) {
        current.members.set(member[1], comment);
        comment = '';
      }
    }
  }
  cache.set(sdkPackage, shapes);
  return shapes;
}

/** The wording AWS uses when a field goes away. */
const DEPRECATED =
  /@deprecated|\bdeprecated\b|\bretired?\b|will be retired|no longer (?:in use|returned|supported|used)|\bdo not use\b/i;

/**
 * The deprecation notice of a member's (or shape's) doc comment, or null. A sentence that names other
 * fields only ("The <code>Status</code> parameter in the response will be retired", on a list of accounts)
 * is about those fields, and is checked where they are read.
 */
function deprecation(doc: string, name?: string): string | null {
  const text = doc.replace(/\/\*\*|\*\//g, '').replace(/\s*\n\s*\*?\s*/g, ' ');
  for (const sentence of text.split(/(?<=[.!?])\s+|<\/p>/)) {
    if (!DEPRECATED.test(sentence)) continue;
    const named = [
      ...[...sentence.matchAll(/<code>(\w+)<\/code>/g)].map((m) => m[1]),
      ...[...sentence.matchAll(/\bThe (\w+) (?:parameter|part|field)\b/g)].map((m) => m[1]),
    ];
    if (name && named.length > 0 && !named.includes(name)) continue;
    return sentence
      .replace(/<[^>]+>/g, '')
      .trim()
      .slice(0, 200);
  }
  return null;
}

function shapeDoc(sdkPackage: string, shape: string): ShapeDoc {
  const doc = modelDocs(sdkPackage).get(shape);
  if (!doc) throw new Error(`${sdkPackage} has no model shape ${shape}`);
  return doc;
}

const uses = RESPONSE_FIELDS_READ.flatMap((op) =>
  op.shapes.flatMap((s) => [
    ...s.fields.map((field) => ({ op, shape: s.shape, field, fallback: null as string | null })),
    ...(s.fallbacks ?? []).map((f) => ({ op, shape: s.shape, field: f.field, fallback: f.replacedBy })),
  ]),
);

describe('the response fields trailwatch reads, against the AWS SDK model documentation', () => {
  it('names shapes and fields the SDK really has (a typo or a removed field fails)', () => {
    const missing = uses
      .filter((u) => !shapeDoc(u.op.sdkPackage, u.shape).members.has(u.field))
      .map((u) => `${u.op.operation}: ${u.shape}.${u.field}`);
    expect(missing).toEqual([]);
  });

  it('relies on no field the SDK documents as deprecated or retired', () => {
    const retired = uses
      .filter((u) => u.fallback === null)
      .flatMap((u) => {
        const why = deprecation(shapeDoc(u.op.sdkPackage, u.shape).members.get(u.field) ?? '', u.field);
        return why ? [`${u.op.operation}: ${u.shape}.${u.field}: ${why}`] : [];
      });
    expect(retired).toEqual([]);
  });

  it('reads a retired field only as the fallback of a current one it reads first', () => {
    const fallbacks = uses.filter((u) => u.fallback !== null);
    expect(fallbacks.map((u) => `${u.shape}.${u.field} → ${u.fallback ?? ''}`)).toEqual([
      'Account.Status → State',
      'Account.Status → State',
    ]);
    for (const u of fallbacks) {
      const shape = shapeDoc(u.op.sdkPackage, u.shape);
      // The fallback is kept because AWS documents it as going away; its replacement is current and read.
      expect(deprecation(shape.members.get(u.field) ?? '', u.field), u.field).toMatch(/retired/);
      const replacement = u.fallback ?? '';
      expect(deprecation(shape.members.get(replacement) ?? '', replacement), replacement).toBeNull();
      const read = u.op.shapes.find((s) => s.shape === u.shape)?.fields ?? [];
      expect(read, u.shape).toContain(u.fallback);
    }
  });

  it('detects the wording AWS uses, on the SDK text itself', () => {
    const organization = shapeDoc('@aws-sdk/client-organizations', 'Organization');
    expect(
      deprecation(organization.members.get('AvailablePolicyTypes') ?? '', 'AvailablePolicyTypes'),
    ).toMatch(/Do not use|deprecated/);
    expect(deprecation(organization.members.get('Id') ?? '', 'Id')).toBeNull();
    const trail = shapeDoc('@aws-sdk/client-cloudtrail', 'Trail');
    expect(deprecation(trail.members.get('SnsTopicName') ?? '', 'SnsTopicName')).toMatch(
      /@deprecated|no longer in use/,
    );
    // A list whose doc warns about a member of its items is not itself deprecated.
    const list = shapeDoc('@aws-sdk/client-organizations', 'ListAccountsResponse');
    expect(deprecation(list.members.get('Accounts') ?? '')).toMatch(/Status/);
    expect(deprecation(list.members.get('Accounts') ?? '', 'Accounts')).toBeNull();
  });

  it('calls no operation and reads no shape the SDK marks deprecated', () => {
    const flagged: string[] = [];
    for (const op of RESPONSE_FIELDS_READ) {
      const command = join(
        'node_modules',
        op.sdkPackage,
        'dist-types',
        'commands',
        `${op.operation}Command.d.ts`,
      );
      expect(existsSync(command), command).toBe(true);
      if (readFileSync(command, 'utf8').includes('@deprecated')) flagged.push(op.operation);
      for (const s of op.shapes) {
        const why = deprecation(shapeDoc(op.sdkPackage, s.shape).doc);
        if (why) flagged.push(`${s.shape}: ${why}`);
      }
    }
    expect(flagged).toEqual([]);
  });

  it('lists what the calling code reads: every field named is used in the file that makes the call (or one that maps its answer)', () => {
    const unused: string[] = [];
    for (const op of RESPONSE_FIELDS_READ.filter((o) => /^src\/[\w/.-]+\.ts$/.test(o.caller))) {
      const source = [op.caller, ...(op.readers ?? [])].map((f) => readFileSync(f, 'utf8')).join('\n');
      for (const s of op.shapes) {
        for (const field of [...s.fields, ...(s.fallbacks ?? []).map((f) => f.field)]) {
          // The SDK's paginator reads NextToken for the code that pages with it.
          const paged = field === 'NextToken' && source.includes(`paginate${op.operation}`);
          if (!paged && !new RegExp(`\\b${field}\\b`).test(source))
            unused.push(`${op.caller}: ${s.shape}.${field}`);
        }
      }
    }
    expect(unused).toEqual([]);
  });

  it('has the fake AWS answer with no member the SDK documents as deprecated or retired', async () => {
    const fake = await startFakeAws(generateOrg(2), { s3Buckets: [{ name: 'evidence', objectLock: true }] });
    const factory = createClientFactory(parseConfig({ aws: {} }).aws!, fakeDeps(fake));
    const account = factory.forAccount(fakeAccountId(1));
    const organizations = factory.organizations();
    const s3 = factory.s3();
    try {
      const answers: [string, string, object][] = [];
      const listed = await organizations.send(new ListAccountsCommand({}));
      for (const a of listed.Accounts ?? []) answers.push(['@aws-sdk/client-organizations', 'Account', a]);
      const trails = await account.cloudTrail('us-east-1').send(new DescribeTrailsCommand({}));
      for (const t of trails.trailList ?? []) answers.push(['@aws-sdk/client-cloudtrail', 'Trail', t]);
      const arn = trails.trailList?.[0]?.TrailARN;
      const status = await account.cloudTrail('us-east-1').send(new GetTrailStatusCommand({ Name: arn }));
      const { $metadata: _metadata, ...statusFields } = status;
      answers.push(['@aws-sdk/client-cloudtrail', 'GetTrailStatusResponse', statusFields]);
      const { $metadata: _put, ...put } = await s3.send(
        new PutObjectCommand({
          Bucket: 'evidence',
          Key: 'k',
          Body: 'x',
          ObjectLockMode: 'GOVERNANCE',
          ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000),
        }),
      );
      expect(put.VersionId).toBeTruthy();
      answers.push(['@aws-sdk/client-s3', 'PutObjectOutput', put]);
      expect(answers.length).toBeGreaterThan(4);
      const retired = answers.flatMap(([pkg, shape, answer]) =>
        Object.keys(answer).flatMap((key) => {
          const why = deprecation(shapeDoc(pkg, shape).members.get(key) ?? '', key);
          return why ? [`${shape}.${key}: ${why}`] : [];
        }),
      );
      expect(retired).toEqual([]);
    } finally {
      s3.destroy();
      organizations.destroy();
      account.destroy();
      await fake.close();
    }
  });
});
