// The bench's sections. Each phase runs in a child process under GNU time, so its peak RSS is its own and
// includes the engine's staging child (a process's own resourceUsage() does not).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BENCH_PARAMETERS, ensureBenchData, type BenchData } from './bench-data.js';
import { ENGINE_PHASES, type EnginePhase, type PhaseResult } from './engine.js';
import { atMost, under, type BenchTable } from './table.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const TIME = '/usr/bin/time';
const GOAL_RSS_MB = 2048;

/** Runs `node <script> ...args` under GNU time; its last stdout line is JSON, plus `peakRssMb`. */
async function child(script: string, args: string[]): Promise<Record<string, unknown>> {
  const command = [process.execPath, join(here, script), ...args];
  const timed = existsSync(TIME);
  const { stdout, stderr } = await run(
    timed ? TIME : command[0]!,
    timed ? ['-f', 'TW_PEAK_KB=%M', ...command] : command.slice(1),
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const last = stdout.trim().split('\n').pop() ?? '{}';
  const result = JSON.parse(last) as Record<string, unknown>;
  const peak = /TW_PEAK_KB=(\d+)/.exec(stderr);
  if (peak) result.peakRssMb = Math.max(Number(result.peakRssMb ?? 0), Math.round(Number(peak[1]) / 1024));
  return result;
}

const n = (value: number) => Math.round(value).toLocaleString('en-US');
const scaled = (base: number, scale: number, min: number) => Math.max(min, Math.round(base * scale));
const figure = (r: PhaseResult) => `${r.seconds.toFixed(2)} s, peak ${n(r.peakRssMb)} MB`;
const perSecond = (r: PhaseResult) => r.events / r.seconds;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
// The catalogue's own staging varies from the scan phase's by several seconds from one process to the next;
// the split shows how much of the ratio is the rules.
const split = (r: PhaseResult) => `${String(r.detail?.stageSeconds)} s / ${String(r.detail?.rulesSeconds)} s`;

function describeData(data: BenchData): string {
  return `${n(data.events)} events, ${data.files} files, ${(data.bytes / 1e6).toFixed(0)} MB gz${data.reused ? ' (reused)' : ` (generated in ${data.seconds.toFixed(0)} s)`}`;
}

async function phases(dir: string, list: readonly EnginePhase[]): Promise<Record<EnginePhase, PhaseResult>> {
  const out: Partial<Record<EnginePhase, PhaseResult>> = {};
  for (const phase of list) {
    out[phase] = (await child('engine.js', [phase, join(dir, 'AWSLogs')])) as unknown as PhaseResult;
  }
  return out as Record<EnginePhase, PhaseResult>;
}

async function engine(table: BenchTable, scale: number): Promise<void> {
  const small = scaled(BENCH_PARAMETERS.events, scale, 5_000);
  const large = scaled(5_000_000, scale, 25_000);
  table.section = `engine: ${n(small)} events`;
  const data = await ensureBenchData(undefined, small);
  table.add('bench data', describeData(data));
  const p = await phases(data.dir, ENGINE_PHASES);
  table.add(
    'decompress only (the floor, all cores)',
    `${figure(p.gunzip)}, ${String(p.gunzip.detail?.uncompressedMb)} MB of JSON`,
  );
  table.add('DuckDB JSON parse only (no field extracted)', figure(p.parse));
  table.add("DuckDB typed read of the rules' columns, nothing written", figure(p.count));
  table.add(
    'typed read / parse only',
    `${ratio(p.count.seconds, p.parse.seconds)} (the least any staging design costs)`,
  );
  table.add('one rule straight over the raw files', figure(p['one-rule']));
  table.add(
    "engine scan (stage the rules' columns)",
    `${figure(p.stage)}, ${n(perSecond(p.stage))} events/s`,
  );
  table.add(
    'engine scan / DuckDB parse only',
    ratio(p.stage.seconds, p.parse.seconds),
    atMost(p.stage.seconds / p.parse.seconds, 1.5, '<= 1.5x'),
  );
  table.add(
    'engine scan / decompress floor',
    `${ratio(p.stage.seconds, p.gunzip.seconds)} (the physical limit)`,
  );
  table.add('engine scan / typed read', ratio(p.stage.seconds, p.count.seconds));
  table.add('DuckDB only writing the staged rows', figure(p.write));
  table.add(
    'whole catalogue (stage + every rule)',
    `${figure(p.catalogue)}, ${String(p.catalogue.detail?.rules)} rules, ${String(p.catalogue.detail?.findings)} findings`,
    under(p.catalogue.peakRssMb, GOAL_RSS_MB, '< 2,048 MB'),
  );
  table.add('whole catalogue: its staging / its rules', split(p.catalogue));
  table.add(
    'whole catalogue / one engine scan',
    ratio(p.catalogue.seconds, p.stage.seconds),
    atMost(p.catalogue.seconds / p.stage.seconds, 1.5, '<= 1.5x'),
  );
  table.add(
    'every rule over the raw files instead (est.)',
    `${(p['one-rule'].seconds * Number(p.catalogue.detail?.rules ?? 0)).toFixed(0)} s`,
  );

  // The curve: the same kind of day, five times larger. Memory should stay put while time grows linearly.
  table.section = `engine: ${n(large)} events (the curve)`;
  const big = await ensureBenchData(undefined, large);
  table.add('bench data', describeData(big));
  const q = await phases(big.dir, ['parse', 'count', 'stage', 'catalogue']);
  table.add('DuckDB JSON parse only', figure(q.parse));
  table.add("DuckDB typed read of the rules' columns", figure(q.count));
  table.add('typed read / parse only', ratio(q.count.seconds, q.parse.seconds));
  table.add('engine scan', `${figure(q.stage)}, ${n(perSecond(q.stage))} events/s`);
  table.add(
    'engine scan / DuckDB parse only',
    ratio(q.stage.seconds, q.parse.seconds),
    atMost(q.stage.seconds / q.parse.seconds, 1.5, '<= 1.5x'),
  );
  table.add(
    'whole catalogue',
    `${figure(q.catalogue)}, ${String(q.catalogue.detail?.findings)} findings`,
    under(q.catalogue.peakRssMb, GOAL_RSS_MB, '< 2,048 MB'),
  );
  table.add('whole catalogue: its staging / its rules', split(q.catalogue));
  table.add(
    'whole catalogue / one engine scan',
    ratio(q.catalogue.seconds, q.stage.seconds),
    atMost(q.catalogue.seconds / q.stage.seconds, 1.5, '<= 1.5x'),
  );
  table.add(
    `events/s, ${n(large)} / ${n(small)} (engine scan)`,
    ratio(perSecond(q.stage), perSecond(p.stage)),
    {
      text: '~1x (linear time)',
      met: Math.abs(Math.log(perSecond(q.stage) / perSecond(p.stage))) < Math.log(1.33),
    },
  );
  table.add(
    `peak RSS, ${n(large)} / ${n(small)} (catalogue)`,
    ratio(q.catalogue.peakRssMb, p.catalogue.peakRssMb),
    { text: '~1x (flat memory)', met: q.catalogue.peakRssMb / p.catalogue.peakRssMb < 1.25 },
  );
}

async function athena(table: BenchTable, scale: number): Promise<void> {
  const events = scaled(BENCH_PARAMETERS.events, scale, 5_000);
  table.section = `athena engine (fake Athena): ${n(events)} events`;
  const data = await ensureBenchData(undefined, events);
  const r = await child('athena.js', [data.dir, BENCH_PARAMETERS.date]);
  const num = (key: string) => Number(r[key] ?? Number.NaN);
  table.add(
    'catalogue through the Athena engine',
    `${num('seconds').toFixed(1)} s (fake), ${num('rules')} rules ran, ${num('rulesFailed')} failed, ${n(num('findings'))} findings, peak ${n(num('peakRssMb'))} MB`,
  );
  table.add('queries sent', n(num('queries')));
  table.add('queries reading the raw CloudTrail table', n(num('rawQueries')), {
    text: '1',
    met: num('rawQueries') === 1,
  });
  table.add("bytes of the window's log files", `${(num('windowBytes') / 1e6).toFixed(1)} MB`);
  table.add(
    "bytes the raw-table queries scanned / window's log files",
    `${num('rawRatio').toFixed(3)} (${(num('rawBytes') / 1e6).toFixed(1)} MB)`,
    atMost(num('rawRatio'), 1.1, '<= 1.1'),
  );
  table.add(
    'bytes scanned: staging / rule queries over the staged table',
    `${(num('stagingBytes') / 1e6).toFixed(1)} MB / ${(num('ruleBytes') / 1e6).toFixed(1)} MB`,
  );
  table.add("every query's bytes / window's log files", `${num('scannedRatio').toFixed(3)}`);
  table.add(
    `cost at the configured $${num('usdPerTerabyte')}/TB (10 MB minimum per query, as the evidence bills it)`,
    `$${num('costUsd').toFixed(6)} for ${(num('billedBytes') / 1e6).toFixed(1)} MB billed`,
  );
}

async function evidence(table: BenchTable, scale: number): Promise<void> {
  for (const base of [10_000, 100_000]) {
    const count = scaled(base, scale, 100);
    table.section = `evidence: ${n(count)} findings`;
    const r = await child('report.js', [String(count)]);
    const num = (key: string) => Number(r[key] ?? Number.NaN);
    const large = base === 100_000;
    table.add(
      'email (HTML)',
      `${num('emailKB')} KB in ${n(num('emailMs'))} ms, every rule named: ${String(r.emailNamesEveryRule)}`,
      under(num('emailKB'), 100, '< 100 KB'),
    );
    if (r.pdf) {
      table.add('evidence PDF', String(r.pdf));
      continue;
    }
    table.add('evidence HTML', `${num('evidenceHtmlMB')} MB, ${n(num('evidenceRows'))} table rows`);
    table.add(
      'evidence PDF time (HTML + print)',
      `${(num('pdfMs') / 1000).toFixed(1)} s (model ${n(num('modelMs'))} ms), ${n(num('pdfPages'))} pages, ${num('pdfMB')} MB`,
      large ? under(num('pdfMs'), 60_000, '< 60 s') : undefined,
    );
    table.add(
      'evidence peak (Node + Chromium, PSS)',
      `${n(num('peakPssMB'))} MB (RSS sum ${n(num('peakRssSumMB'))} MB)`,
      large ? under(num('peakPssMB'), GOAL_RSS_MB, '< 2,048 MB') : undefined,
    );
    table.add('every finding accounted for in the PDF', String(r.accountedFor));
  }
}

async function fanout(table: BenchTable, scale: number): Promise<void> {
  const accounts = scaled(5_000, scale, 10);
  table.section = `coverage fan-out: ${n(accounts)} accounts x 17 regions, 50 ms per call, 1 % throttled once`;
  const r = await child('fanout.js', [String(accounts)]);
  const num = (key: string) => Number(r[key] ?? Number.NaN);
  table.add('accounts reported / audited', `${n(num('accountsReported'))} / ${n(num('accountsAudited'))}`, {
    text: `${n(accounts)}`,
    met: num('accountsReported') === accounts && num('accountsAudited') === accounts,
  });
  table.add(
    'wall time',
    `${num('wallSeconds').toFixed(1)} s, peak ${n(num('peakRssMb'))} MB`,
    under(num('wallSeconds'), 60, '< 60 s'),
  );
  table.add(
    "trailwatch's CPU time (all its threads, not the fake's)",
    `${num('cpuSeconds').toFixed(1)} s, ${num('cpuMsPerAccount').toFixed(1)} ms per account; accounts in flight ${num('concurrencyGlobal')}; load ${num('loadAverage1mStart')} at the start, ${num('loadAverage1mEnd')} at the end`,
  );
  table.add(
    'time per account: median, 99th percentile, max',
    `${num('accountSecondsP50').toFixed(2)} s, ${num('accountSecondsP99').toFixed(2)} s, ${num('accountSecondsMax').toFixed(2)} s (${n(num('accountSecondsSum'))} s in all)`,
  );
  table.add(
    'calls per account (max, mean), without retries',
    `${num('callsPerAccountMax')}, ${num('callsPerAccountMean')}`,
    atMost(num('callsPerAccountMax'), 6, '<= 6'),
  );
  table.add(
    'throttled calls (each retried)',
    `${n(num('throttledCalls'))} of ${n(num('callsTotal'))}; at most ${num('retriesPerAccountMax')} retries in one account`,
  );
  table.add(
    'regions per account, AssumeRole per account',
    `${num('regionsPerAccount')}, ${num('assumeRolePerAccount')}`,
  );
}

/** The bench's sections, in the order they run. */
export const SECTIONS = { engine, athena, evidence, fanout } as const;

/** A section's name. */
export type SectionName = keyof typeof SECTIONS;
