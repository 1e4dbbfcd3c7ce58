// The rules the fake S3 holds a write to, as S3 does today: the Object Lock and SSE-KMS headers of PutObject and
// CreateMultipartUpload, and the integrity headers of a body (Content-MD5 and the flexible checksums), which
// S3 requires on writes under Object Lock.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { crc32 } from 'node:zlib';

/** A bucket of the fake S3. */
export interface FakeS3Bucket {
  name: string;
  /** Object Lock enabled on the bucket (it is then versioned, as S3 requires). */
  objectLock?: boolean;
  /** Every write is refused with AccessDenied (a bucket policy or an IAM policy that does not grant it). */
  denied?: boolean;
}

/** An error S3 answers as XML. */
export class FakeS3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A request header's value, or null. */
export function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return typeof value === 'string' ? value : null;
}

const invalid = (message: string) => new FakeS3Error(400, 'InvalidArgument', message);

/** Object Lock and SSE headers of a PutObject or CreateMultipartUpload, checked as S3 checks them. */
export function writeSettings(bucket: FakeS3Bucket, headers: IncomingHttpHeaders) {
  const mode = header(headers, 'x-amz-object-lock-mode');
  const until = header(headers, 'x-amz-object-lock-retain-until-date');
  if (mode !== null || until !== null) {
    if (mode === null || until === null)
      throw invalid('x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied');
    if (!bucket.objectLock)
      throw new FakeS3Error(400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration');
    if (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') throw invalid('Unknown wormMode directive.');
    const time = Date.parse(until);
    if (Number.isNaN(time)) throw invalid('The retain until date must be provided in ISO 8601 format');
    if (time <= Date.now()) throw invalid('The retain until date must be in the future!');
  }
  const sse = header(headers, 'x-amz-server-side-encryption');
  const kmsKeyId = header(headers, 'x-amz-server-side-encryption-aws-kms-key-id');
  if (kmsKeyId !== null && sse !== 'aws:kms' && sse !== 'aws:kms:dsse') {
    throw invalid(
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
    );
  }
  return {
    contentType: header(headers, 'content-type'),
    serverSideEncryption: sse ?? 'AES256',
    kmsKeyId: sse?.startsWith('aws:kms')
      ? (kmsKeyId ?? 'arn:aws:kms:us-east-1:000000000000:alias/aws/s3')
      : null,
    objectLockMode: mode,
    objectLockRetainUntil: until === null ? null : new Date(until).toISOString(),
  };
}

const CHECKSUMS: Record<string, (body: Buffer) => string> = {
  crc32: (body) => {
    const value = Buffer.alloc(4);
    value.writeUInt32BE(crc32(body));
    return value.toString('base64');
  },
  sha256: (body) => createHash('sha256').update(body).digest('base64'),
  sha1: (body) => createHash('sha1').update(body).digest('base64'),
};

/**
 * Checks the body against its integrity headers. Returns whether one was present (Object Lock needs one):
 * Content-MD5, or `x-amz-sdk-checksum-algorithm` with its `x-amz-checksum-<algorithm>` value.
 */
export function checkIntegrity(headers: IncomingHttpHeaders, body: Buffer): boolean {
  if (header(headers, 'content-encoding')?.includes('aws-chunked')) {
    // The SDK streams unknown-length bodies aws-chunked with a trailing checksum; trailwatch sends buffers.
    throw new FakeS3Error(501, 'NotImplemented', 'the fake S3 does not decode aws-chunked bodies');
  }
  let present = false;
  const md5 = header(headers, 'content-md5');
  if (md5 !== null) {
    present = true;
    if (createHash('md5').update(body).digest('base64') !== md5)
      throw new FakeS3Error(
        400,
        'BadDigest',
        'The Content-MD5 you specified did not match what we received.',
      );
  }
  const algorithm = header(headers, 'x-amz-sdk-checksum-algorithm')?.toLowerCase();
  for (const [name, compute] of Object.entries(CHECKSUMS)) {
    const given = header(headers, `x-amz-checksum-${name}`);
    if (given === null) continue;
    present = true;
    if (compute(body) !== given)
      throw new FakeS3Error(
        400,
        'BadDigest',
        `The ${name.toUpperCase()} you specified did not match the calculated checksum.`,
      );
  }
  if (algorithm && header(headers, `x-amz-checksum-${algorithm}`) === null)
    throw new FakeS3Error(
      400,
      'InvalidRequest',
      `x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.`,
    );
  return present;
}
