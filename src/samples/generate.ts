// Writes the sample organization's two days of CloudTrail logs in the S3 layout of an organization trail,
// plus a manifest naming, per day, the events each rule is meant to find. The first day holds the routine
// and the incident's first steps, the second the routine again and the rest of the incident, so a run of the
// second day after the first shows the routine as recurring and the incident as new. Deterministic: the same
// seed gives the same bytes, so the demo's findings can be asserted exactly.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { bystandersDay } from './bystanders.js';
import type { CloudTrailRecord } from './cloudtrail.js';
import { incidentEarlySteps, incidentStory } from './incident.js';
import type { DeniedCounter } from './noise.js';
import { noiseRecord } from './noise.js';
import type { RosterEntry, SampleAccount } from './org.js';
import { ACCOUNT, ACCOUNTS, ORG_ID, REGIONS, roster } from './org.js';
import type { Rng } from './random.js';
import { createRng, deriveSeed } from './random.js';
import { routineDay } from './routine.js';
import { SAMPLE_RULE_IDS, storyWriter, type DayStory } from './story.js';

const gzipAsync = promisify(gzip);

/** The default seed of the bundled sample (the incident's day, as a number). */
export const DEFAULT_SEED = 20261120;
/** The second sample day, the incident's; the first is the day before. */
export const DEFAULT_DATE = '2026-11-20';
/** The first sample day. */
export const FIRST_DATE = '2026-11-19';
/** About this many events make the two sample days (half each). */
export const DEFAULT_EVENTS = 50_000;

/** The account-region whose logs stop mid-morning on the second day, for log-delivery-gap. */
export const GAP = { accountId: ACCOUNT.prod, region: 'eu-west-1', stopsAt: { hour: 8, minute: 57 } } as const;

/** Options of generateSampleOrg. */
export interface SampleOptions {
  seed?: number;
  /** Total events over both days, noise and story together (half each day). */
  events?: number;
  /** The second day, YYYY-MM-DD (UTC); the first is the day before. */
  date?: string;
}

/** What one sample day holds. */
export interface SampleDay {
  date: string;
  files: number;
  events: number;
  /** Per rule id, the eventIDs meant to fire it (the routine's included). */
  incident: Record<string, string[]>;
  /** Per rule id, the eventIDs of near-misses it must not fire on. */
  nearMisses: Record<string, string[]>;
  /** The eventIDs of the organization's routine (the same kinds every day). */
  routine: string[];
  /** The eventIDs of the attacker's steps. */
  attack: string[];
}

/** What generateSampleOrg wrote: totals and the union of both days, then each day. */
export interface SampleResult {
  files: number;
  events: number;
  /** Per rule id, the eventIDs meant to fire it, both days. */
  incident: Record<string, string[]>;
  /** Per rule id, the eventIDs of near-misses it must not fire on, both days. */
  nearMisses: Record<string, string[]>;
  /** The first day, then the second. */
  days: SampleDay[];
}

/** The manifest.json written beside the logs. */
export interface SampleManifest extends SampleResult {
  seed: number;
  /** The second day (the incident's). */
  date: string;
}

const REGION_WEIGHTS: readonly (readonly [string, number])[] = [
  ['us-east-1', 0.5],
  ['eu-west-1', 0.25],
  ['us-west-2', 0.17],
  ['ap-southeast-2', 0.08],
];

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A time of day for a caller: office hours (peaking early afternoon UTC) for people, any time for machines. */
export function callTime(rng: Rng, dayStart: number, hours: RosterEntry['hours']): number {
  if (hours === 'always') return dayStart + Math.floor(rng.next() * DAY);
  const spread = (rng.next() + rng.next() + rng.next()) / 3;
  return dayStart + Math.floor((7 + spread * 12) * 60 * MINUTE + rng.next() * MINUTE);
}

/** The path of one log file in an organization trail's bucket, relative to the bucket root. */
export function logFilePath(accountId: string, region: string, date: string, deliveredAt: number, suffix: string): string {
  const [yyyy, mm, dd] = date.split('-');
  const d = new Date(deliveredAt);
  const stamp = `${yyyy}${mm}${dd}T${String(d.getUTCHours()).padStart(2, '0')}${String(d.getUTCMinutes()).padStart(2, '0')}Z`;
  return join(
    'AWSLogs',
    ORG_ID,
    accountId,
    'CloudTrail',
    region,
    yyyy ?? '',
    mm ?? '',
    dd ?? '',
    `${accountId}_CloudTrail_${region}_${stamp}_${suffix}.json.gz`,
  );
}

function dayStartOf(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`date must be YYYY-MM-DD, found ${date}`);
  const start = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(start)) throw new RangeError(`date must be a real day, found ${date}`);
  return start;
}

/** One account-region's records, to be cut into delivery files. */
type Stream = { accountId: string; region: string; records: CloudTrailRecord[] };

function streamKey(accountId: string, region: string): string {
  return `${accountId}|${region}`;
}

/** The scripted events of each day: the routine both days, the incident's first steps, then the rest. */
function dayStory(rng: Rng, dayStart: number, date: string, dayIndex: number): DayStory & { attack: string[] } {
  const writer = storyWriter(rng, dayStart);
  const attackFrom = (): number => writer.story.records.length;
  const before = attackFrom();
  if (dayIndex === 0) incidentEarlySteps(writer);
  else incidentStory(writer);
  const attack = writer.story.records.slice(before).map((r) => r.eventID);
  routineDay(writer, date, dayIndex);
  if (dayIndex > 0) bystandersDay(writer);
  return { ...writer.story, attack };
}

/** Writes one day's noise and story into `outDir`; returns what the day holds. */
async function writeDay(outDir: string, seed: number, date: string, dayIndex: number, total: number, gap: boolean): Promise<SampleDay> {
  const dayStart = dayStartOf(date);
  const gapStart = dayStart + (GAP.stopsAt.hour * 60 + GAP.stopsAt.minute) * MINUTE;
  // The second day keeps the seeds' original labels (the day the sample had before it had two).
  const label = (name: string): string => (dayIndex === 1 ? name : `${name}:${date}`);

  const streams = new Map<string, Stream>();
  for (const account of ACCOUNTS) {
    for (const region of REGIONS) streams.set(streamKey(account.id, region), { accountId: account.id, region, records: [] });
  }
  const push = (record: CloudTrailRecord): void => {
    streams.get(streamKey(record.recipientAccountId, record.awsRegion))?.records.push(record);
  };

  const story = dayStory(createRng(deriveSeed(seed, label('incident'))), dayStart, date, dayIndex);
  for (const record of story.records) push(record);

  const rng = createRng(deriveSeed(seed, label('noise')));
  const rosters = new Map(ACCOUNTS.map((a) => [a.id, roster(a.id)]));
  const denied: DeniedCounter = new Map();
  let noise = Math.max(0, total - story.records.length);
  const silenced = (accountId: string, region: string, time: number): boolean =>
    gap && accountId === GAP.accountId && region === GAP.region && time >= gapStart;

  // A heartbeat of AWS Config's reads in every account-region, around the clock: real accounts are never
  // silent for hours, so the only delivery gap in the sample is the one that is meant to be there.
  for (const account of ACCOUNTS) {
    const config = rosters.get(account.id)?.find((e) => e.kind === 'config');
    if (!config) continue;
    for (const region of REGIONS) {
      for (let slot = 0; slot < 48 && noise > 0; slot += 1) {
        const time = dayStart + slot * 30 * MINUTE + rng.int(0, 25 * MINUTE);
        if (silenced(account.id, region, time)) continue;
        for (let attempt = 0; attempt < 8; attempt += 1) {
          const record = noiseRecord(rng, { entry: config, accountId: account.id, short: account.short, region, time });
          if (record && record.awsRegion === region) {
            push(record);
            noise -= 1;
            break;
          }
        }
      }
    }
  }

  const accountChoices = ACCOUNTS.map((a) => [a, a.weight] as const);
  while (noise > 0) {
    const account: SampleAccount = rng.weighted(accountChoices);
    const entries = rosters.get(account.id) ?? [];
    const entry = rng.weighted(entries.map((e) => [e, e.weight] as const));
    const time = callTime(rng, dayStart, entry.hours);
    let region = rng.weighted(REGION_WEIGHTS);
    if (silenced(account.id, region, time)) region = 'us-east-1';
    const record = noiseRecord(rng, { entry, accountId: account.id, short: account.short, region, time, denied });
    if (!record || silenced(account.id, record.awsRegion, time)) continue;
    push(record);
    noise -= 1;
  }

  // The last event before the gap is the evidence log-delivery-gap points at.
  const gapStream = gap ? streams.get(streamKey(GAP.accountId, GAP.region)) : undefined;
  const gapIds: string[] = [];
  const incident: Record<string, string[]> = {};
  const nearMisses: Record<string, string[]> = {};

  const fileRng = createRng(deriveSeed(seed, label('files')));
  let files = 0;
  let events = 0;
  for (const stream of streams.values()) {
    stream.records.sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));
    if (stream === gapStream) {
      const last = stream.records[stream.records.length - 1];
      if (last) gapIds.push(last.eventID);
    }
    // CloudTrail delivers a file every few minutes while there is activity; busy streams get short
    // windows, quiet ones long ones, which keeps the sample at a few hundred files.
    const n = stream.records.length;
    const meanMinutes = Math.min(120, Math.max(15, (1440 * 170) / Math.max(1, n)));
    let index = 0;
    let start = dayStart;
    while (start < dayStart + DAY && index < n) {
      const length = Math.max(5, Math.round(meanMinutes * (0.6 + 0.8 * fileRng.next()))) * MINUTE;
      const end = Math.min(start + length, dayStart + DAY);
      const batch: CloudTrailRecord[] = [];
      while (index < n) {
        const record = stream.records[index];
        if (!record || Date.parse(record.eventTime) >= end) break;
        batch.push(record);
        index += 1;
      }
      if (batch.length > 0) {
        const deliveredAt = Math.min(end, dayStart + DAY - MINUTE);
        const path = join(outDir, logFilePath(stream.accountId, stream.region, date, deliveredAt, fileRng.alnum(16)));
        await mkdir(join(path, '..'), { recursive: true });
        await writeFile(path, await gzipAsync(JSON.stringify({ Records: batch })));
        files += 1;
        events += batch.length;
      }
      start = end;
    }
  }

  for (const id of SAMPLE_RULE_IDS) {
    const ids = id === 'log-delivery-gap' ? gapIds : story.incident[id];
    if (ids && ids.length > 0) incident[id] = ids;
    const near = story.nearMisses[id];
    if (near) nearMisses[id] = near;
  }
  return { date, files, events, incident, nearMisses, routine: story.routine, attack: story.attack };
}

function merge(target: Record<string, string[]>, source: Record<string, string[]>): void {
  for (const [id, ids] of Object.entries(source)) target[id] = [...(target[id] ?? []), ...ids];
}

/** Generates the sample organization's two days of logs into `outDir` and writes `outDir/manifest.json`. */
export async function generateSampleOrg(outDir: string, options: SampleOptions = {}): Promise<SampleResult> {
  const seed = options.seed ?? DEFAULT_SEED;
  const date = options.date ?? DEFAULT_DATE;
  const total = options.events ?? DEFAULT_EVENTS;
  const first = new Date(dayStartOf(date) - DAY).toISOString().slice(0, 10);
  await rm(join(outDir, 'AWSLogs', ORG_ID), { recursive: true, force: true });
  const days: SampleDay[] = [];
  // Half the events each day; the second day takes the odd one.
  days.push(await writeDay(outDir, seed, first, 0, Math.floor(total / 2), false));
  days.push(await writeDay(outDir, seed, date, 1, total - Math.floor(total / 2), true));
  const incident: Record<string, string[]> = {};
  const nearMisses: Record<string, string[]> = {};
  for (const day of days) {
    merge(incident, day.incident);
    merge(nearMisses, day.nearMisses);
  }
  const result: SampleResult = {
    files: days.reduce((n, d) => n + d.files, 0),
    events: days.reduce((n, d) => n + d.events, 0),
    incident,
    nearMisses,
    days,
  };
  const manifest: SampleManifest = { seed, date, ...result };
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return result;
}

// `node dist/samples/generate.js OUTDIR` writes the sample without the CLI.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = process.argv[2] ?? 'samples/logs';
  const started = Date.now();
  generateSampleOrg(out).then(
    (result) => {
      process.stdout.write(
        `${JSON.stringify({ out, files: result.files, events: result.events, seconds: (Date.now() - started) / 1000 })}\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
