// npm run bench [-- --scale S] [--only engine,athena,evidence,fanout]: speed and memory figures, each
// measured in its own process, printed as one table with the machine's load beside them. --scale (or
// TRAILWATCH_BENCH_SCALE) multiplies every size (events, findings, accounts): 0.01 runs in a minute.
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { SECTIONS, type SectionName } from './sections.js';
import { BenchTable } from './table.js';

const { values } = parseArgs({
  options: { scale: { type: 'string' }, only: { type: 'string' } },
  allowPositionals: false,
});
const scale = Number(values.scale ?? process.env.TRAILWATCH_BENCH_SCALE ?? 1);
if (!(scale > 0)) throw new Error(`--scale: expected a positive number, found ${String(values.scale)}`);
const only = (values.only?.split(',').map((s) => s.trim()) ?? Object.keys(SECTIONS)) as SectionName[];
const unknown = only.filter((name) => !(name in SECTIONS));
if (unknown.length > 0) {
  throw new Error(
    `--only: unknown section ${unknown.join(', ')} (known: ${Object.keys(SECTIONS).join(', ')})`,
  );
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
const started = new Date();
const loadBefore = load();
const table = new BenchTable();
for (const name of only) {
  process.stderr.write(`bench: ${name}…\n`);
  try {
    await SECTIONS[name](table, scale);
  } catch (error) {
    // A section that fails is a row of the table, not the end of the bench.
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    table.add('section failed', message.slice(0, 200), { text: 'runs', met: false });
    process.stderr.write(
      `bench: ${name} failed: ${error instanceof Error ? (error.stack ?? message) : message}\n`,
    );
  }
}
process.stdout.write(
  `trailwatch bench · ${started.toISOString()} · Node ${process.version} · ${availableParallelism()} cores · scale ${scale}\n`,
);
process.stdout.write(
  `load average (1, 5, 15 min): ${loadBefore} at the start, ${load()} at the end · ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s in all\n\n`,
);
process.stdout.write(table.render());
