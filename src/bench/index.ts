// npm run bench: speed and memory figures, each phase measured in its own process.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureBenchData } from '../samples/bench-data.js';
import { ENGINE_PHASES, type EnginePhase, type PhaseResult } from './engine.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

async function child(script: string, args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [join(here, script), ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = stdout.trim().split('\n').pop() ?? '{}';
  return JSON.parse(last) as Record<string, unknown>;
}

function line(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(44)} ${value}\n`);
}

async function engineBench(): Promise<void> {
  process.stdout.write('== engine: 1,000,000 events ==\n');
  const data = await ensureBenchData();
  line(
    'bench data',
    `${data.files} files, ${data.events.toLocaleString('en-US')} events, ${(data.bytes / 1e6).toFixed(0)} MB gz${data.reused ? ' (reused)' : ` (generated in ${data.seconds.toFixed(1)} s)`}`,
  );
  const phases = new Map<EnginePhase, PhaseResult>();
  for (const phase of ENGINE_PHASES) {
    phases.set(
      phase,
      (await child('engine.js', [phase, join(data.dir, 'AWSLogs')])) as unknown as PhaseResult,
    );
  }
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
  const figure = (r: PhaseResult) => `${r.seconds.toFixed(2)} s, peak ${r.peakRssMb} MB`;
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
    '  ratio engine scan / decompress floor',
    `${(stage.seconds / gunzip.seconds).toFixed(2)}x (goal <= 1.5x)`,
  );
  line('  ratio engine scan / DuckDB parse floor', `${(stage.seconds / parse.seconds).toFixed(2)}x`);
  line('DuckDB only writing the staged rows (copy)', figure(write));
  line(
    '  bound: decompress + write, parsing free',
    `${(gunzip.seconds + write.seconds).toFixed(2)} s = ${((gunzip.seconds + write.seconds) / gunzip.seconds).toFixed(2)}x the floor`,
  );
  line('  events per second (engine scan)', Math.round(stage.events / stage.seconds).toLocaleString('en-US'));
  line('whole catalogue (stage + every rule)', `${figure(catalogue)} (goal < 2048 MB)`);
  line('  detail', JSON.stringify(catalogue.detail));
  line(
    '  ratio catalogue / one full scan (one rule)',
    `${(catalogue.seconds / oneRule.seconds).toFixed(2)}x (goal <= 1.5x)`,
  );
  line('  ratio catalogue / count(*) scan', `${(catalogue.seconds / count.seconds).toFixed(2)}x`);
  line(
    '  every rule over the raw files instead (est.)',
    `${(oneRule.seconds * Number(catalogue.detail?.rules ?? 0)).toFixed(0)} s`,
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
