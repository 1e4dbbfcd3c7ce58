// The fake AWS endpoint's S3 (REST + XML, path-style addressing): the object writes an evidence upload makes
// (PutObject, and CreateMultipartUpload / UploadPart / CompleteMultipartUpload / AbortMultipartUpload) and the
// reads of the previous history (ListObjectsV2, GetObject), with
// the rules S3 applies to them today: Object Lock headers need a bucket with Object Lock and an integrity
// header (Content-MD5 or a flexible checksum), digests are checked, SSE-KMS is echoed, parts other than the
// last are at least 5 MiB. A denied bucket answers 403 AccessDenied before the body is sent, as S3 does to a
// request that says `Expect: 100-continue` (the SDK says it for bodies of 2 MB and more).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { checkIntegrity, FakeS3Error, header, writeSettings, type FakeS3Bucket } from './s3-rules.js';

export { FakeS3Error, type FakeS3Bucket };

/** One stored object version. */
export interface FakeS3Object {
  bucket: string;
  key: string;
  body: Buffer;
  versionId: string;
  etag: string;
  contentType: string | null;
  serverSideEncryption: string | null;
  kmsKeyId: string | null;
  objectLockMode: string | null;
  objectLockRetainUntil: string | null;
  /** The parts' sizes when it was written by a multipart upload. */
  parts: number[] | null;
  storedAt: number;
}

/** One S3 request the fake saw, in order (its operation, target and outcome). */
export interface FakeS3Request {
  operation: string;
  bucket: string;
  key: string;
  status: number;
  /** Body bytes received (0 when the request was refused before its body was sent). */
  bytes: number;
}

/** What the server writes back. */
export interface FakeS3Answer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

interface Upload {
  bucket: string;
  key: string;
  contentType: string | null;
  serverSideEncryption: string | null;
  kmsKeyId: string | null;
  objectLockMode: string | null;
  objectLockRetainUntil: string | null;
  checksumAlgorithm: string | null;
  parts: Map<number, { body: Buffer; etag: string }>;
}

/** S3's smallest part, the last part excepted. */
export const S3_MIN_PART_BYTES = 5 * 1024 * 1024;

/** The fake S3. */
export interface FakeS3 {
  buckets: Map<string, FakeS3Bucket>;
  /** Every stored version, oldest first. */
  objects: FakeS3Object[];
  requests: FakeS3Request[];
  /** Multipart uploads begun and neither completed nor aborted. */
  openUploads(): number;
  /** The answer to a request that must be refused before its body is read, or null. */
  refuseEarly(method: string, url: string): FakeS3Error | null;
  handle(method: string, url: string, headers: IncomingHttpHeaders, body: Buffer): FakeS3Answer;
}

function xmlEscape(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The XML error document S3 answers with. */
export function s3ErrorXml(error: FakeS3Error, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${xmlEscape(error.message)}</Message><RequestId>${requestId}</RequestId><HostId>${randomBytes(24).toString('base64')}</HostId></Error>`;
}

function parseTarget(url: string): { bucket: string; key: string; query: URLSearchParams } {
  const parsed = new URL(url, 'http://fake');
  const [, bucket = '', ...rest] = parsed.pathname.split('/');
  return {
    bucket: decodeURIComponent(bucket),
    key: rest.map(decodeURIComponent).join('/'),
    query: parsed.searchParams,
  };
}

/** The S3 operation a path-style request names. */
export function s3Operation(method: string, url: string): string {
  return operationOf(method, parseTarget(url).query);
}

function operationOf(method: string, query: URLSearchParams): string {
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'PUT' && query.has('uploadId')) return 'UploadPart';
  if (method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'DELETE' && query.has('uploadId')) return 'AbortMultipartUpload';
  if (method === 'PUT') return 'PutObject';
  if (method === 'GET' && query.get('list-type') === '2') return 'ListObjectsV2';
  if (method === 'GET') return 'GetObject';
  return `unknown ${method}`;
}

const etagOf = (body: Buffer) => `"${createHash('md5').update(body).digest('hex')}"`;

/** Starts an empty fake S3 holding `buckets`. */
export function startFakeS3(buckets: readonly FakeS3Bucket[] = []): FakeS3 {
  const byName = new Map(buckets.map((b) => [b.name, b]));
  const objects: FakeS3Object[] = [];
  const requests: FakeS3Request[] = [];
  const uploads = new Map<string, Upload>();

  function bucketFor(name: string): FakeS3Bucket {
    const bucket = byName.get(name);
    if (!bucket) throw new FakeS3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (bucket.denied) throw new FakeS3Error(403, 'AccessDenied', 'Access Denied');
    return bucket;
  }

  function store(
    bucket: FakeS3Bucket,
    key: string,
    body: Buffer,
    settings: Omit<FakeS3Object, 'bucket' | 'key' | 'body' | 'versionId' | 'etag' | 'parts' | 'storedAt'>,
    parts: number[] | null,
    etag: string,
  ): FakeS3Answer {
    const versionId = bucket.objectLock ? randomBytes(24).toString('base64url') : 'null';
    objects.push({
      bucket: bucket.name,
      key,
      body,
      versionId,
      etag,
      parts,
      storedAt: Date.now(),
      contentType: settings.contentType,
      serverSideEncryption: settings.serverSideEncryption,
      kmsKeyId: settings.kmsKeyId,
      objectLockMode: settings.objectLockMode,
      objectLockRetainUntil: settings.objectLockRetainUntil,
    });
    return {
      status: 200,
      headers: {
        etag,
        ...(bucket.objectLock ? { 'x-amz-version-id': versionId } : {}),
        'x-amz-server-side-encryption': settings.serverSideEncryption ?? 'AES256',
        ...(settings.kmsKeyId ? { 'x-amz-server-side-encryption-aws-kms-key-id': settings.kmsKeyId } : {}),
      },
      body: '',
    };
  }

  function uploadFor(query: URLSearchParams, bucket: string, key: string): [string, Upload] {
    const id = query.get('uploadId') ?? '';
    const upload = uploads.get(id);
    if (!upload || upload.bucket !== bucket || upload.key !== key)
      throw new FakeS3Error(
        404,
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      );
    return [id, upload];
  }

  function answer(
    operation: string,
    bucketName: string,
    key: string,
    query: URLSearchParams,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): FakeS3Answer {
    const bucket = bucketFor(bucketName);
    switch (operation) {
      case 'PutObject': {
        const settings = writeSettings(bucket, headers);
        const integrity = checkIntegrity(headers, body);
        if (settings.objectLockMode && !integrity)
          throw new FakeS3Error(
            400,
            'InvalidRequest',
            'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
          );
        return store(bucket, key, body, settings, null, etagOf(body));
      }
      case 'CreateMultipartUpload': {
        const settings = writeSettings(bucket, headers);
        const uploadId = `${randomUUID().replace(/-/g, '')}${randomBytes(24).toString('base64url')}`;
        uploads.set(uploadId, {
          bucket: bucket.name,
          key,
          ...settings,
          checksumAlgorithm: header(headers, 'x-amz-checksum-algorithm'),
          parts: new Map(),
        });
        return {
          status: 200,
          headers: { 'content-type': 'application/xml' },
          body: `<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${xmlEscape(bucket.name)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
        };
      }
      case 'UploadPart': {
        const [, upload] = uploadFor(query, bucket.name, key);
        const number = Number(query.get('partNumber'));
        if (!Number.isInteger(number) || number < 1 || number > 10_000)
          throw new FakeS3Error(
            400,
            'InvalidArgument',
            'Part number must be an integer between 1 and 10000, inclusive',
          );
        const integrity = checkIntegrity(headers, body);
        if (upload.objectLockMode && !integrity)
          throw new FakeS3Error(
            400,
            'InvalidRequest',
            'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Part requests with Object Lock parameters',
          );
        const etag = etagOf(body);
        upload.parts.set(number, { body, etag });
        return { status: 200, headers: { etag }, body: '' };
      }
      case 'CompleteMultipartUpload': {
        const [id, upload] = uploadFor(query, bucket.name, key);
        const listed = [...body.toString('utf8').matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
          number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1] ?? '')?.[1]),
          etag: /<ETag>([^<]*)<\/ETag>/.exec(m[1] ?? '')?.[1]?.replace(/&quot;|&#34;/g, '"') ?? '',
        }));
        if (listed.length === 0)
          throw new FakeS3Error(
            400,
            'MalformedXML',
            'The XML you provided was not well-formed or did not validate against our published schema',
          );
        const chosen = [];
        let previous = 0;
        for (const part of listed) {
          if (part.number <= previous)
            throw new FakeS3Error(
              400,
              'InvalidPartOrder',
              'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
            );
          previous = part.number;
          const stored = upload.parts.get(part.number);
          if (!stored || stored.etag !== part.etag)
            throw new FakeS3Error(
              400,
              'InvalidPart',
              "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
            );
          chosen.push(stored);
        }
        const small = chosen.slice(0, -1).find((p) => p.body.length < S3_MIN_PART_BYTES);
        if (small)
          throw new FakeS3Error(
            400,
            'EntityTooSmall',
            'Your proposed upload is smaller than the minimum allowed object size.',
          );
        uploads.delete(id);
        const whole = Buffer.concat(chosen.map((p) => p.body));
        const etag = `"${createHash('md5')
          .update(Buffer.concat(chosen.map((p) => Buffer.from(p.etag.replace(/"/g, ''), 'hex'))))
          .digest('hex')}-${chosen.length}"`;
        const { headers: stored } = store(
          bucket,
          key,
          whole,
          upload,
          chosen.map((p) => p.body.length),
          etag,
        );
        return {
          status: 200,
          headers: { ...stored, 'content-type': 'application/xml' },
          body: `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>http://fake/${xmlEscape(bucket.name)}/${xmlEscape(key)}</Location><Bucket>${xmlEscape(bucket.name)}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(etag)}</ETag></CompleteMultipartUploadResult>`,
        };
      }
      case 'AbortMultipartUpload': {
        const [id] = uploadFor(query, bucket.name, key);
        uploads.delete(id);
        return { status: 204, headers: {}, body: '' };
      }
      case 'ListObjectsV2': {
        // The latest version of each key under the prefix, in key order (UTF-8 binary), max-keys at a time.
        const prefix = query.get('prefix') ?? '';
        const maxKeys = Math.min(1000, Number(query.get('max-keys') ?? 1000));
        const after = query.get('continuation-token') ?? query.get('start-after') ?? '';
        const latest = new Map<string, FakeS3Object>();
        for (const o of objects)
          if (o.bucket === bucket.name && o.key.startsWith(prefix)) latest.set(o.key, o);
        const keys = [...latest.keys()]
          .filter((k) => k > after)
          .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
        const page = keys.slice(0, maxKeys);
        const truncated = keys.length > page.length;
        const contents = page
          .map((k) => {
            const o = latest.get(k) as FakeS3Object;
            return `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${new Date(o.storedAt).toISOString()}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
          })
          .join('');
        const next = truncated
          ? `<NextContinuationToken>${xmlEscape(page[page.length - 1] ?? '')}</NextContinuationToken>`
          : '';
        return {
          status: 200,
          headers: { 'content-type': 'application/xml' },
          body: `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucket.name)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
        };
      }
      case 'GetObject': {
        const found = objects.filter((o) => o.bucket === bucket.name && o.key === key).at(-1);
        if (!found) throw new FakeS3Error(404, 'NoSuchKey', 'The specified key does not exist.');
        return { status: 200, headers: { etag: found.etag }, body: found.body };
      }
      default:
        throw new FakeS3Error(
          405,
          'MethodNotAllowed',
          'The specified method is not allowed against this resource.',
        );
    }
  }

  return {
    buckets: byName,
    objects,
    requests,
    openUploads: () => uploads.size,
    refuseEarly(method, url) {
      const { bucket, key, query } = parseTarget(url);
      try {
        bucketFor(bucket);
        return null;
      } catch (error) {
        if (!(error instanceof FakeS3Error)) throw error;
        requests.push({ operation: operationOf(method, query), bucket, key, status: error.status, bytes: 0 });
        return error;
      }
    },
    handle(method, url, headers, body) {
      const { bucket, key, query } = parseTarget(url);
      const operation = operationOf(method, query);
      try {
        const result = answer(operation, bucket, key, query, headers, body);
        requests.push({ operation, bucket, key, status: result.status, bytes: body.length });
        return result;
      } catch (error) {
        if (error instanceof FakeS3Error)
          requests.push({ operation, bucket, key, status: error.status, bytes: body.length });
        throw error;
      }
    },
  };
}
