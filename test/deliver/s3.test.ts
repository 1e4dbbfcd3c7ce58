// The evidence upload, through the real S3 client against the fake AWS's S3 over HTTP on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsSection, createClientFactory } from '../../src/aws/clients.js';
import { parseConfig } from '../../src/config/load.js';
import { writeManifest } from '../../src/deliver/bundle.js';
import { uploadBundle, type S3DeliverySettings } from '../../src/deliver/s3.js';
import {
  FAKE_RUNNER_CREDENTIALS,
  generateOrg,
  S3_MIN_PART_BYTES,
  startFakeAws,
  type FakeAws,
} from '../../tools/fake-aws/index.js';
import { fakeDeps } from '../integration/fake-aws/deps.js';

let fake: FakeAws;
let client: S3Client;

beforeAll(async () => {
  fake = await startFakeAws(generateOrg(2), {
    s3Buckets: [
      { name: 'evidence-locked', objectLock: true },
      { name: 'evidence-plain' },
      { name: 'evidence-denied', denied: true },
    ],
  });
  const aws = awsSection(parseConfig({ aws: { region: 'eu-west-1' } }));
  client = createClientFactory(aws, fakeDeps(fake)).s3();
});

afterAll(async () => {
  client.destroy();
  await fake.close();
});

/** A bundle folder like a run's: findings.json, a query, an evidence PDF of `pdfBytes`, manifest.json. */
async function bundle(pdfBytes = 2048): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tw-s3-'));
  await writeFile(join(dir, 'findings.json'), '{"run":{},"findings":[]}\n');
  await mkdir(join(dir, 'queries'));
  await writeFile(join(dir, 'queries', 'root-usage.sql'), 'SELECT 1\n');
  await writeFile(join(dir, 'evidence.pdf'), randomBytes(pdfBytes));
  await writeFile(join(dir, 'INCOMPLETE.txt'), 'the run is still writing\n');
  await writeManifest(dir, [
    join(dir, 'findings.json'),
    join(dir, 'queries', 'root-usage.sql'),
    join(dir, 'evidence.pdf'),
  ]);
  return dir;
}

const settings = (over: Partial<S3DeliverySettings>): S3DeliverySettings => ({
  bucket: 'evidence-plain',
  prefix: 'trailwatch/',
  ...over,
});

function writesTo(bucket: string) {
  return fake.s3.requests.filter((r) => r.bucket === bucket);
}

describe('uploadBundle', () => {
  it('puts every file under prefix/date/run with Object Lock and SSE-KMS, manifest.json last', async () => {
    const dir = await bundle();
    const now = new Date();
    const { facts, error } = await uploadBundle({
      dir,
      client,
      date: '2026-11-20',
      runId: 'run-1',
      now,
      settings: settings({
        bucket: 'evidence-locked',
        kmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        objectLock: { mode: 'COMPLIANCE', retentionDays: 400 },
      }),
    });
    expect(error).toBeUndefined();
    const retainUntil = new Date(now.getTime() + 400 * 86_400_000).toISOString();
    expect(facts).toMatchObject({
      status: 'uploaded',
      location: 's3://evidence-locked/trailwatch/2026-11-20/run-1/',
      files: 4,
      uploaded: 4,
      objectLock: { mode: 'COMPLIANCE', retainUntil },
    });
    const stored = fake.s3.objects.filter((o) => o.bucket === 'evidence-locked');
    expect(stored.map((o) => o.key)).toEqual([
      'trailwatch/2026-11-20/run-1/evidence.pdf',
      'trailwatch/2026-11-20/run-1/findings.json',
      'trailwatch/2026-11-20/run-1/queries/root-usage.sql',
      'trailwatch/2026-11-20/run-1/manifest.json',
    ]);
    for (const object of stored) {
      expect(object.objectLockMode).toBe('COMPLIANCE');
      expect(object.objectLockRetainUntil).toBe(retainUntil);
      expect(object.serverSideEncryption).toBe('aws:kms');
      expect(object.kmsKeyId).toBe(facts.kmsKeyId);
      expect(object.body.equals(await readFile(join(dir, object.key.split('/run-1/')[1]!)))).toBe(true);
    }
    expect(stored.find((o) => o.key.endsWith('.pdf'))?.contentType).toBe('application/pdf');
    expect(facts.manifestVersionId).toBe(stored.at(-1)?.versionId);
    expect(facts.bytes).toBe(stored.reduce((n, o) => n + o.body.length, 0));
  });

  it('is refused by S3 when Object Lock headers come without an integrity header (the fake answers as S3)', async () => {
    // The SDK adds a CRC32 by default; WHEN_REQUIRED turns that off, as older SDKs and other tools behave.
    const bare = new S3Client({
      region: 'eu-west-1',
      endpoint: fake.endpoint,
      forcePathStyle: true,
      credentials: FAKE_RUNNER_CREDENTIALS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const put = bare.send(
      new PutObjectCommand({
        Bucket: 'evidence-locked',
        Key: 'bare.txt',
        Body: 'x',
        ObjectLockMode: 'GOVERNANCE',
        ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000),
      }),
    );
    await expect(put).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: expect.stringContaining('Content-MD5 OR x-amz-checksum- HTTP header is required') as unknown,
    });
    bare.destroy();
  });

  it('uploads a large PDF in parts of at least 5 MiB, the last one smaller, under Object Lock', async () => {
    const dir = await bundle(12 * 1024 * 1024);
    const { facts, error } = await uploadBundle({
      dir,
      client,
      date: '2026-11-21',
      runId: 'run-2',
      partBytes: S3_MIN_PART_BYTES,
      settings: settings({
        bucket: 'evidence-locked',
        objectLock: { mode: 'GOVERNANCE', retentionDays: 30 },
      }),
    });
    expect(error).toBeUndefined();
    expect(facts.uploaded).toBe(4);
    const pdf = fake.s3.objects.find((o) => o.key === 'trailwatch/2026-11-21/run-2/evidence.pdf');
    expect(pdf?.parts).toEqual([
      S3_MIN_PART_BYTES,
      S3_MIN_PART_BYTES,
      12 * 1024 * 1024 - 2 * S3_MIN_PART_BYTES,
    ]);
    expect(pdf?.body.equals(await readFile(join(dir, 'evidence.pdf')))).toBe(true);
    expect(pdf?.objectLockMode).toBe('GOVERNANCE');
    expect(pdf?.etag).toMatch(/-3"$/);
    expect(fake.s3.openUploads()).toBe(0);
  });

  it('aborts a multipart upload whose part fails, and says the upload failed', async () => {
    const dir = await bundle(11 * 1024 * 1024);
    fake.faults.push({ kind: 'server-error', operation: 'UploadPart', after: 1 });
    try {
      const { facts, error } = await uploadBundle({
        dir,
        client,
        date: '2026-11-22',
        runId: 'run-3',
        partBytes: S3_MIN_PART_BYTES,
        settings: settings({ bucket: 'evidence-plain' }),
      });
      expect(facts.status).toBe('failed');
      expect(error).toMatchObject({ scope: 'delivery', code: 'evidence-not-uploaded' });
      expect(error?.message).toContain('uploading trailwatch/2026-11-22/run-3/evidence.pdf failed');
      expect(writesTo('evidence-plain').map((r) => r.operation)).toContain('AbortMultipartUpload');
      expect(fake.s3.openUploads()).toBe(0);
      expect(fake.s3.objects.some((o) => o.key.startsWith('trailwatch/2026-11-22/'))).toBe(false);
    } finally {
      fake.faults.pop();
    }
  });

  it('reports a denied bucket at once, before sending a 12 MB body, and keeps everything local', async () => {
    const dir = await bundle(12 * 1024 * 1024);
    const before = await readFile(join(dir, 'manifest.json'), 'utf8');
    const started = Date.now();
    const { facts, error } = await uploadBundle({
      dir,
      client,
      date: '2026-11-23',
      runId: 'run-4',
      partBytes: 16 * 1024 * 1024,
      settings: settings({ bucket: 'evidence-denied' }),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(facts).toMatchObject({ status: 'failed', uploaded: 0, files: 4 });
    expect(error?.message).toMatch(
      /^0 of 4 files .* uploading trailwatch\/2026-11-23\/run-4\/evidence\.pdf failed \(access-denied: AccessDenied: Access Denied\)/,
    );
    // S3 answered before the body was sent (Expect: 100-continue), and nothing else was tried.
    expect(writesTo('evidence-denied')).toEqual([
      {
        operation: 'PutObject',
        bucket: 'evidence-denied',
        key: 'trailwatch/2026-11-23/run-4/evidence.pdf',
        status: 403,
        bytes: 0,
      },
    ]);
    expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(before);
  });

  it('fails without uploading the manifest when the bucket has no Object Lock', async () => {
    const dir = await bundle();
    const { error } = await uploadBundle({
      dir,
      client,
      date: '2026-11-24',
      runId: 'run-5',
      settings: settings({ objectLock: { mode: 'COMPLIANCE', retentionDays: 1 } }),
    });
    expect(error?.message).toContain('Bucket is missing Object Lock Configuration');
    expect(fake.s3.objects.some((o) => o.key.startsWith('trailwatch/2026-11-24/'))).toBe(false);
  });
});
