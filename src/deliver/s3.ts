// Evidence kept for years: the whole bundle is uploaded to s3://bucket/prefix/<date>/<run id>/ with the
// runner's (or hub's) credentials, optionally encrypted with a KMS key and held by Object Lock. manifest.json
// goes last and only when every other file is there, so an object listing with a manifest always holds the
// files it vouches for. A failed upload is a delivery error: the run is incomplete and nothing local is lost.
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { basename, extname, relative, sep } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { classifyAwsError } from '../aws/errors.js';
import type { ClientFactory } from '../aws/clients.js';
import type { Config } from '../config/schema.js';
import type { S3DeliveryFacts } from '../model.js';
import type { RunErrorEntry } from '../shared/errors.js';
import { INCOMPLETE_MARKER, BUNDLE_MARKER, filesUnder } from './bundle-folder.js';

/** The `deliver.s3` settings. */
export type S3DeliverySettings = NonNullable<NonNullable<Config['deliver']>['s3']>;

/** Files up to this size go in one PutObject; bigger ones in parts of this size. S3's minimum part is 5 MiB. */
export const DEFAULT_PART_BYTES = 8 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.csv': 'text/csv; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.sql': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
};

const md5 = (body: Uint8Array) => createHash('md5').update(body).digest('base64');

/** The key prefix of one run's bundle: the configured prefix, the audited day, the run id. */
export function bundleKeyPrefix(prefix: string, date: string, runId: string): string {
  const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  return `${base}${date}/${runId}/`;
}

interface ObjectSettings {
  Bucket: string;
  Key: string;
  ContentType: string;
  ServerSideEncryption?: 'aws:kms';
  SSEKMSKeyId?: string;
  ObjectLockMode?: 'GOVERNANCE' | 'COMPLIANCE';
  ObjectLockRetainUntilDate?: Date;
}

async function readRange(path: string, start: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Uploads one file: PutObject up to `partBytes`, else a multipart upload that is aborted if any part fails
 * (an unfinished upload would otherwise keep its parts, billed, until a lifecycle rule removes them).
 * Content-MD5 is sent with every body: S3 requires an integrity header on writes under Object Lock.
 */
async function uploadFile(
  client: S3Client,
  path: string,
  size: number,
  object: ObjectSettings,
  partBytes: number,
): Promise<{ versionId?: string }> {
  if (size <= partBytes) {
    const body = await readRange(path, 0, size);
    const put = await client.send(new PutObjectCommand({ ...object, Body: body, ContentMD5: md5(body) }));
    return put.VersionId ? { versionId: put.VersionId } : {};
  }
  const created = await client.send(new CreateMultipartUploadCommand(object));
  const uploadId = created.UploadId;
  if (!uploadId) throw new Error(`S3 CreateMultipartUpload returned no UploadId for ${object.Key}`);
  try {
    const parts: { PartNumber: number; ETag: string }[] = [];
    for (let start = 0, number = 1; start < size; start += partBytes, number += 1) {
      const body = await readRange(path, start, Math.min(partBytes, size - start));
      const part = await client.send(
        new UploadPartCommand({
          Bucket: object.Bucket,
          Key: object.Key,
          UploadId: uploadId,
          PartNumber: number,
          Body: body,
          ContentMD5: md5(body),
        }),
      );
      if (!part.ETag) throw new Error(`S3 UploadPart returned no ETag for part ${number} of ${object.Key}`);
      parts.push({ PartNumber: number, ETag: part.ETag });
    }
    const done = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: object.Bucket,
        Key: object.Key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    return done.VersionId ? { versionId: done.VersionId } : {};
  } catch (error) {
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: object.Bucket, Key: object.Key, UploadId: uploadId }))
      .catch(() => undefined);
    throw error;
  }
}

/** Options of one bundle upload. */
export interface UploadBundleOptions {
  /** The bundle's folder. */
  dir: string;
  settings: S3DeliverySettings;
  client: S3Client;
  /** The audited day (YYYY-MM-DD) and the run id, which name the bundle's folder in the bucket. */
  date: string;
  runId: string;
  now?: Date;
  /** Part size of multipart uploads (default 8 MiB; S3 refuses parts under 5 MiB but the last). */
  partBytes?: number;
  /**
   * Upload only the bundle's files (its manifest is written after, and names a failed upload), or only its
   * manifest, continuing the facts of the files' upload. Unset: every file, manifest.json last.
   */
  only?: 'files' | { manifestAfter: S3DeliveryFacts };
}

/**
 * Uploads every file of the bundle folder, manifest.json last. Never throws: the result says what is in the
 * bucket, and a failure comes back as a delivery error naming the first cause.
 */
export async function uploadBundle(
  options: UploadBundleOptions,
): Promise<{ facts: S3DeliveryFacts; error?: RunErrorEntry }> {
  const { settings, client } = options;
  const partBytes = options.partBytes ?? DEFAULT_PART_BYTES;
  const keyPrefix = bundleKeyPrefix(settings.prefix, options.date, options.runId);
  const location = `s3://${settings.bucket}/${keyPrefix}`;
  const retainUntil = settings.objectLock
    ? new Date((options.now ?? new Date()).getTime() + settings.objectLock.retentionDays * 86_400_000)
    : undefined;
  const previous = typeof options.only === 'object' ? options.only.manifestAfter : undefined;
  const facts: S3DeliveryFacts = previous
    ? { ...previous }
    : {
        status: 'uploaded',
        location,
        files: 0,
        uploaded: 0,
        bytes: 0,
        ...(settings.kmsKeyId ? { kmsKeyId: settings.kmsKeyId } : {}),
        ...(settings.objectLock && retainUntil
          ? { objectLock: { mode: settings.objectLock.mode, retainUntil: retainUntil.toISOString() } }
          : {}),
      };
  const fail = (what: string, error: unknown) => {
    facts.status = 'failed';
    const { code, message } = classifyAwsError(error, 'call');
    return {
      facts,
      error: {
        scope: 'delivery' as const,
        id: location,
        code: 'evidence-not-uploaded' as const,
        message: `${facts.uploaded} of ${facts.files} files of the evidence were uploaded to ${location}; ${what} failed (${code}: ${message}). The bundle is complete in the output folder.`,
      },
    };
  };
  let files: string[];
  try {
    files = (await filesUnder(options.dir)).filter(
      (f) => basename(f) !== INCOMPLETE_MARKER && basename(f) !== BUNDLE_MARKER,
    );
  } catch (error) {
    return fail('reading the bundle folder', error);
  }
  // The manifest vouches for the others, so it is written only once they are all there.
  const isManifest = (f: string) => relative(options.dir, f) === 'manifest.json';
  files.sort((a, b) => Number(isManifest(a)) - Number(isManifest(b)) || a.localeCompare(b));
  if (options.only === 'files') files = files.filter((f) => !isManifest(f));
  if (previous) files = files.filter(isManifest);
  facts.files += files.length;
  for (const file of files) {
    const key = `${keyPrefix}${relative(options.dir, file).split(sep).join('/')}`;
    try {
      const { size } = await stat(file);
      const written = await uploadFile(
        client,
        file,
        size,
        {
          Bucket: settings.bucket,
          Key: key,
          ContentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          ...(settings.kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: settings.kmsKeyId } : {}),
          ...(settings.objectLock && retainUntil
            ? { ObjectLockMode: settings.objectLock.mode, ObjectLockRetainUntilDate: retainUntil }
            : {}),
        },
        partBytes,
      );
      facts.uploaded += 1;
      facts.bytes += size;
      if (isManifest(file) && written.versionId) facts.manifestVersionId = written.versionId;
    } catch (error) {
      return fail(`uploading ${key}`, error);
    }
  }
  return { facts };
}

/**
 * Stores the bundle in the configured bucket with the run's client factory (the runner's or hub's
 * credentials; the bucket's region, else the home region). Never throws.
 */
export async function storeEvidence(
  dir: string,
  settings: S3DeliverySettings,
  run: { clients: ClientFactory; date: string; runId: string; only?: UploadBundleOptions['only'] },
): Promise<{ facts: S3DeliveryFacts; error?: RunErrorEntry }> {
  const client = run.clients.s3(settings.region);
  try {
    return await uploadBundle({
      dir,
      settings,
      client,
      date: run.date,
      runId: run.runId,
      ...(run.only ? { only: run.only } : {}),
    });
  } finally {
    client.destroy();
  }
}
