// npm run bench: speed and memory figures, each phase measured in its own process.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureBenchData, type BenchData } from './bench-data.js';
import { ENGINE_PHASES, type EnginePhase, type PhaseResult } from './engine.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

// GNU time reports the peak RSS of the phase's process tree's largest process, which includes the engine's
// staging child (a process's own resourceUsage() does not).
const TIME = '/usr/bin/time';

async function child(script: string, args: string[]): Promise<Record<string, unknown>> {
  const command = [process.execPath, join(here, script), ...args];
  const timed = existsSync(TIME);
  const { stdout, stderr } = await run(
    timed ? TIME : command[0]!,
    timed ? ['-f', 'TW_PEAK_KB=%M', ...command] : command.slice(1),
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const last = stdout.trim().split('\n').pop() ?? '{}';
  const result = JSON.parse(last) as Record<string, unknown>;
  const peak = /TW_PEAK_KB=(\d+)/.exec(stderr);
  if (peak) result.peakRssMb = Math.max(Number(result.peakRssMb ?? 0), Math.round(Number(peak[1]) / 1024));
  return result;
}

function line(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(44)} ${value}\n`);
}

async function runPhases(
  dir: string,
  phases: readonly EnginePhase[],
): Promise<Map<EnginePhase, PhaseResult>> {
  const results = new Map<EnginePhase, PhaseResult>();
  for (const phase of phases) {
    results.set(phase, (await child('engine.js', [phase, join(dir, 'AWSLogs')])) as unknown as PhaseResult);
  }
  return results;
}

function describeData(data: BenchData): string {
  return `${data.files} files, ${data.events.toLocaleString('en-US')} events, ${(data.bytes / 1e6).toFixed(0)} MB gz${data.reused ? ' (reused)' : ` (generated in ${data.seconds.toFixed(1)} s)`}`;
}

const figure = (r: PhaseResult) => `${r.seconds.toFixed(2)} s, peak ${r.peakRssMb} MB`;
const perSecond = (r: PhaseResult) => Math.round(r.events / r.seconds);

async function engineBench(): Promise<void> {
  process.stdout.write('== engine: 1,000,000 events ==\n');
  const data = await ensureBenchData();
  line('bench data', describeData(data));
  const phases = await runPhases(data.dir, ENGINE_PHASES);
  const get = (phase: EnginePhase): PhaseResult => {
    const result = phases.get(phase);
    if (!result) throw new Error(`phase ${phase} did not run`);
    return result;
  };
  const [gunzip, parse, count, oneRule, stage, write, catalogue] = ENGINE_PHASES.map(get) as [
    PhaseResult,
    PhaseResult,
    PhaseResult,
    PhaseResult,
    PhaseResult,
    PhaseResult,
    PhaseResult,
  ];
  line(
    'decompress only (the floor, all cores)',
    `${figure(gunzip)}, ${String(gunzip.detail?.uncompressedMb ?? '?')} MB of JSON`,
  );
  line('DuckDB JSON parse only (documents, no fields)', figure(parse));
  line(
    'full scan: count(*) of every record',
    `${figure(count)}, ${count.events.toLocaleString('en-US')} events`,
  );
  line('one rule straight over the raw files', figure(oneRule));
  line(
    "engine scan: stage the rules' columns",
    `${figure(stage)}, ${stage.events.toLocaleString('en-US')} events`,
  );
  line(
    '  ratio engine scan / DuckDB parse only',
    `${(stage.seconds / parse.seconds).toFixed(2)}x (goal <= 1.5x)`,
  );
  line(
    '  ratio engine scan / decompress floor',
    `${(stage.seconds / gunzip.seconds).toFixed(2)}x (the physical limit)`,
  );
  line('DuckDB only writing the staged rows (copy)', figure(write));
  line(
    '  bound: decompress + write, parsing free',
    `${(gunzip.seconds + write.seconds).toFixed(2)} s = ${((gunzip.seconds + write.seconds) / gunzip.seconds).toFixed(2)}x the floor`,
  );
  line('  events per second (engine scan)', perSecond(stage).toLocaleString('en-US'));
  line('whole catalogue (stage + every rule)', `${figure(catalogue)} (goal < 2048 MB)`);
  line('  detail', JSON.stringify(catalogue.detail));
  line(
    '  ratio catalogue / one engine scan',
    `${(catalogue.seconds / stage.seconds).toFixed(2)}x (goal <= 1.5x)`,
  );
  line(
    '  ratio catalogue / one rule over the raw files',
    `${(catalogue.seconds / oneRule.seconds).toFixed(2)}x`,
  );
  line('  ratio catalogue / count(*) scan', `${(catalogue.seconds / count.seconds).toFixed(2)}x`);
  line(
    '  every rule over the raw files instead (est.)',
    `${(oneRule.seconds * Number(catalogue.detail?.rules ?? 0)).toFixed(0)} s`,
  );

  // The curve: the same kind of day, five times larger. Memory should stay put while time grows linearly.
  process.stdout.write('== engine: 5,000,000 events (the curve) ==\n');
  const big = await ensureBenchData(undefined, 5_000_000);
  line('bench data', describeData(big));
  const bigPhases = await runPhases(big.dir, ['parse', 'stage', 'catalogue']);
  const bigParse = bigPhases.get('parse');
  const bigStage = bigPhases.get('stage');
  const bigCatalogue = bigPhases.get('catalogue');
  if (!bigParse || !bigStage || !bigCatalogue) throw new Error('5M phases did not run');
  line('DuckDB JSON parse only', figure(bigParse));
  line('engine scan', `${figure(bigStage)}, ${perSecond(bigStage).toLocaleString('en-US')} events/s`);
  line(
    '  ratio engine scan / DuckDB parse only',
    `${(bigStage.seconds / bigParse.seconds).toFixed(2)}x (goal <= 1.5x)`,
  );
  line('whole catalogue', `${figure(bigCatalogue)} (goal < 2048 MB)`);
  line(
    '  ratio catalogue / one engine scan',
    `${(bigCatalogue.seconds / bigStage.seconds).toFixed(2)}x (goal <= 1.5x)`,
  );
  line(
    '  5M / 1M: events/s, peak RSS (catalogue)',
    `${(perSecond(bigStage) / perSecond(stage)).toFixed(2)}x, ${(bigCatalogue.peakRssMb / catalogue.peakRssMb).toFixed(2)}x`,
  );
}

async function optionalBench(script: string, title: string): Promise<void> {
  if (!existsSync(join(here, script))) return;
  process.stdout.write(`== ${title} ==\n`);
  // These benches print their own `figure: value` lines.
  const { stdout } = await run(process.execPath, [join(here, script)], { maxBuffer: 16 * 1024 * 1024 });
  process.stdout.write(stdout);
}

await engineBench();
await optionalBench('fanout.js', 'trail coverage fan-out: 1,000 accounts x 17 regions, 50 ms per call');
await optionalBench('report.js', 'digest and evidence: 10,000 findings');
