// One million realistic CloudTrail events for the benchmark, written once outside the repository and
// reused while the parameters stay the same. Each file has its own seed, so the files do not depend on
// the order they are written in and can be produced concurrently.
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { CloudTrailRecord } from '../src/samples/cloudtrail.js';
import { assumedRoleActor, buildRecord, USER_AGENTS } from '../src/samples/cloudtrail.js';
import {
  accessDenied,
  runInstancesParameters,
  securityGroupIngressParameters,
} from '../src/samples/event-shapes.js';
import { DEFAULT_DATE, logFilePath } from '../src/samples/generate.js';
import { noiseRecord } from '../src/samples/noise.js';
import type { DeniedCounter } from '../src/samples/noise.js';
import { ACCOUNTS, ORG_ID, REGIONS, roster } from '../src/samples/org.js';
import type { Rng } from '../src/samples/random.js';
import { createRng, deriveSeed } from '../src/samples/random.js';

/** The benchmark's parameters (one million events); a change in any of them regenerates the data. */
export const BENCH_PARAMETERS = {
  version: 1,
  seed: 20261120,
  events: 1_000_000,
  files: 200,
  date: DEFAULT_DATE,
};

/** The parameters for a day of `events` events: files of the same size (5,000 events), so only the count grows. */
export function benchParameters(events: number): BenchParameters {
  return { ...BENCH_PARAMETERS, events, files: Math.max(1, Math.ceil(events / 5_000)) };
}

/** What a benchmark day is generated from. */
export type BenchParameters = typeof BENCH_PARAMETERS;

/** What ensureBenchData found or wrote. */
export interface BenchData {
  dir: string;
  files: number;
  events: number;
  bytes: number;
  /** True when an earlier complete run was reused. */
  reused: boolean;
  seconds: number;
}

const MARKER = 'trailwatch-bench.json';
const DAY = 24 * 60 * 60 * 1000;
// Incident-like events (world-open ports, stopped trails, denied calls, odd images) are this rare in the
// benchmark: the rules must find needles, not process a haystack of matches.
const SPRINKLE_RATE = 0.002;

function sprinkle(rng: Rng, accountId: string, region: string, time: number): CloudTrailRecord {
  const actor = assumedRoleActor(accountId, 'github-actions-deploy', 'GitHubActions', {
    ip: '4.227.88.19',
    userAgent: USER_AGENTS.terraform,
  });
  const base = { actor, time, accountId, region, readOnly: false };
  switch (rng.int(0, 3)) {
    case 0:
      return buildRecord(rng, {
        ...base,
        eventSource: 'ec2.amazonaws.com',
        eventName: 'AuthorizeSecurityGroupIngress',
        requestParameters: securityGroupIngressParameters(`sg-${rng.hex(17)}`, [
          { protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' },
        ]),
      });
    case 1:
      return buildRecord(rng, {
        ...base,
        eventSource: 'cloudtrail.amazonaws.com',
        eventName: 'StopLogging',
        requestParameters: { name: `arn:aws:cloudtrail:${region}:${accountId}:trail/local-trail` },
      });
    case 2:
      return buildRecord(rng, {
        ...base,
        eventSource: 'ec2.amazonaws.com',
        eventName: 'RunInstances',
        requestParameters: runInstancesParameters(rng, {
          imageId: `ami-${rng.hex(17)}`,
          instanceType: 't3.large',
          count: 1,
          subnetId: `subnet-${rng.hex(17)}`,
        }),
      });
    default:
      return buildRecord(rng, {
        ...base,
        readOnly: true,
        eventSource: 'secretsmanager.amazonaws.com',
        eventName: 'ListSecrets',
        ...accessDenied('secretsmanager.amazonaws.com', 'ListSecrets', actor.identity),
      });
  }
}

/** The JSON text of one benchmark file, in chunks, generated as it is compressed. */
function* fileChunks(
  parameters: BenchParameters,
  index: number,
  perFile: number,
  counter: { events: number },
): Generator<string> {
  const rng = createRng(deriveSeed(parameters.seed, `bench-file:${index}`));
  const streams = ACCOUNTS.length * REGIONS.length;
  const account = ACCOUNTS[index % ACCOUNTS.length] ?? ACCOUNTS[0]!;
  const region = REGIONS[Math.floor(index / ACCOUNTS.length) % REGIONS.length] ?? 'us-east-1';
  // Each account-region gets files covering consecutive slices of the day.
  const slices = Math.ceil(parameters.files / streams);
  const slice = Math.floor(index / streams);
  const dayStart = Date.parse(`${parameters.date}T00:00:00Z`);
  const from = dayStart + Math.floor((slice * DAY) / slices);
  const span = Math.floor(DAY / slices);
  const times = Array.from({ length: perFile }, () => from + Math.floor(rng.next() * span)).sort(
    (a, b) => a - b,
  );
  const entries = roster(account.id);
  const choices = entries.map((e) => [e, e.weight] as const);
  const denied: DeniedCounter = new Map();

  yield '{"Records":[';
  let chunk = '';
  let written = 0;
  for (const time of times) {
    let record: CloudTrailRecord | null = null;
    if (rng.chance(SPRINKLE_RATE) && region !== 'ap-southeast-2') {
      record = sprinkle(rng, account.id, region, time);
    }
    for (let attempt = 0; !record && attempt < 8; attempt += 1) {
      const candidate = noiseRecord(rng, {
        entry: rng.weighted(choices),
        accountId: account.id,
        short: account.short,
        region,
        time,
        denied,
      });
      // Global services log in us-east-1; a file holds one region's events only.
      if (candidate && candidate.awsRegion === region) record = candidate;
    }
    if (!record) continue;
    chunk += (written === 0 ? '' : ',') + JSON.stringify(record);
    written += 1;
    counter.events += 1;
    if (chunk.length > 256 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}]}`;
}

function benchFilePath(parameters: BenchParameters, dir: string, index: number): string {
  const account = ACCOUNTS[index % ACCOUNTS.length] ?? ACCOUNTS[0]!;
  const region = REGIONS[Math.floor(index / ACCOUNTS.length) % REGIONS.length] ?? 'us-east-1';
  const streams = ACCOUNTS.length * REGIONS.length;
  const slices = Math.ceil(parameters.files / streams);
  const slice = Math.floor(index / streams);
  const deliveredAt =
    Date.parse(`${parameters.date}T00:00:00Z`) + Math.floor(((slice + 1) * DAY) / slices) - 60_000;
  const suffix = createRng(deriveSeed(parameters.seed, `bench-name:${index}`)).alnum(16);
  return join(dir, logFilePath(account.id, region, parameters.date, deliveredAt, suffix));
}

/**
 * Makes sure a benchmark day of `events` events (default one million) exists in `dir` (default: a folder
 * named after the count in the OS temp folder), generating it once; a completion marker with the same
 * parameters means the files are reused.
 */
export async function ensureBenchData(
  dir?: string,
  events: number = BENCH_PARAMETERS.events,
): Promise<BenchData> {
  const started = Date.now();
  const parameters = benchParameters(events);
  dir ??= join(tmpdir(), `trailwatch-bench-${events % 1_000_000 === 0 ? `${events / 1_000_000}m` : events}`);
  const markerPath = join(dir, MARKER);
  try {
    const marker = JSON.parse(await readFile(markerPath, 'utf8')) as {
      parameters?: unknown;
      files?: number;
      events?: number;
      bytes?: number;
    };
    if (JSON.stringify(marker.parameters) === JSON.stringify(parameters)) {
      return {
        dir,
        files: marker.files ?? 0,
        events: marker.events ?? 0,
        bytes: marker.bytes ?? 0,
        reused: true,
        seconds: (Date.now() - started) / 1000,
      };
    }
  } catch {
    // No marker (or an unreadable one): generate afresh.
  }

  await rm(markerPath, { force: true });
  await rm(join(dir, 'AWSLogs', ORG_ID), { recursive: true, force: true });
  const perFile = Math.ceil(parameters.events / parameters.files);
  let bytes = 0;
  const counter = { events: 0 };
  // Two files at a time: one is being generated (JavaScript) while the other's gzip runs on the thread pool.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < parameters.files) {
      const index = next;
      next += 1;
      const path = benchFilePath(parameters, dir, index);
      await mkdir(join(path, '..'), { recursive: true });
      const count = Math.min(perFile, parameters.events - index * perFile);
      await pipeline(
        Readable.from(fileChunks(parameters, index, count, counter)),
        createGzip({ level: 6 }),
        createWriteStream(path),
      );
      bytes += (await stat(path)).size;
    }
  };
  await Promise.all([worker(), worker()]);
  const result = { dir, files: parameters.files, events: counter.events, bytes };
  await writeFile(markerPath, `${JSON.stringify({ parameters, ...result }, null, 2)}\n`);
  return { ...result, reused: false, seconds: (Date.now() - started) / 1000 };
}
