// Engine benchmark phases. Each phase runs in its own process (see index.ts) so that its peak memory is
// its own: gunzip (the floor no reader can beat), parse (DuckDB parsing each file, no field extracted),
// count (DuckDB reading every record with the rules' columns typed, writing nothing: the floor of any
// design that stages the records), one-rule (one rule straight over the raw files), stage (the engine's
// read of the window into cloudtrail_logs), write (DuckDB only writing those rows, already parsed),
// catalogue (stage + every rule: the real one-pass evaluation).
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DuckDBInstance, listValue } from '@duckdb/node-api';
import { parseConfig } from '../src/config/load.js';
import { detect } from '../src/rules/query.js';
import { recordsColumnType } from '../src/engine/cloudtrail-schema.js';
import { openDuckDbEngine } from '../src/engine/duckdb.js';
import { rawRelationSql, stagedColumnSet } from '../src/engine/staging-sql.js';
import { TRINO_COMPAT_MACROS } from '../src/engine/trino-compat.js';
import { listLogFiles } from '../src/engine/log-files.js';
import { columnsReadBy } from '../src/rules/columns.js';
import { loadRules } from '../src/rules/load.js';
import { silentLogger } from '../src/shared/log.js';

/** The engine benchmark's phases. */
export type EnginePhase = 'gunzip' | 'parse' | 'count' | 'one-rule' | 'stage' | 'write' | 'catalogue';

/** The phases, in the order they run and are reported. */
export const ENGINE_PHASES: readonly EnginePhase[] = [
  'gunzip',
  'parse',
  'count',
  'one-rule',
  'stage',
  'write',
  'catalogue',
];

/** One phase's measurement. */
export interface PhaseResult {
  phase: EnginePhase;
  seconds: number;
  events: number;
  peakRssMb: number;
  detail?: Record<string, number | string>;
}

const THREADS = Math.max(1, cpus().length);

// Decompression only, one worker per core; each worker takes the next file from a shared counter, so no core
// idles while another still has files (a fixed split by index measured up to 0.2 s slower).
const GUNZIP_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { gunzipSync } = require('node:zlib');
const { files, next } = workerData;
const index = new Int32Array(next);
let bytes = 0;
for (let i = Atomics.add(index, 0, 1); i < files.length; i = Atomics.add(index, 0, 1)) {
  bytes += gunzipSync(readFileSync(files[i])).length;
}
parentPort.postMessage(bytes);
`;

async function gunzipAll(files: string[]): Promise<number> {
  const next = new SharedArrayBuffer(4);
  const sizes = await Promise.all(
    Array.from(
      { length: THREADS },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(GUNZIP_WORKER, { eval: true, workerData: { files, next } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

/** Counts the records read with the rules' columns typed, as staging reads them, writing nothing. */
async function countEvents(files: string[], columns: ReadonlySet<string> | undefined): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`SET threads = ${THREADS}`);
    const statement = await connection.prepare(
      `SELECT count(*) AS n FROM (SELECT unnest(Records) AS r FROM read_json($1, columns = {'Records': '${recordsColumnType(columns)}'}, format = 'unstructured', records = true, maximum_object_size = 268435456))`,
    );
    statement.bindValue(1, listValue(files));
    const reader = await statement.runAndReadAll();
    return Number(reader.getRowObjectsJson()[0]?.n ?? 0);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Runs one phase over the benchmark folder and measures it. */
export async function runPhase(phase: EnginePhase, dir: string): Promise<PhaseResult> {
  const files = (await listLogFiles(dir)).map((f) => f.path);
  let started = performance.now();
  let events = 0;
  let detail: Record<string, number | string> | undefined;
  if (phase === 'gunzip') {
    detail = { uncompressedMb: Math.round((await gunzipAll(files)) / 1e6) };
  } else if (phase === 'count') {
    // The floor of any design that stages the records: DuckDB's reader typing the columns the rules read
    // (and the engine itself checks), with nothing written.
    const typed = stagedColumnSet(columnsReadBy(await loadRules()));
    events = await countEvents(files, typed);
    detail = { columns: typed?.size ?? 'all' };
  } else if (phase === 'parse') {
    // DuckDB's own floor: decompress and parse each file as one JSON document, extracting no field, read
    // with the engine's own reader options (records = true: the file's keys are its columns), so the ratio
    // compares the engine with DuckDB's reader as the engine uses it. (With records = 'auto' this phase also
    // pays for detecting each file's layout: 3.61-3.87 s instead of 1.64-1.68 s at 1 M, load ~2.4.)
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(`SET threads = ${THREADS}`);
      const statement = await connection.prepare(
        `SELECT count(*) AS n FROM read_json($1, columns = {'Records': 'JSON'}, format = 'unstructured', records = true, maximum_object_size = 268435456)`,
      );
      statement.bindValue(1, listValue(files));
      detail = { documents: Number((await statement.runAndReadAll()).getRowObjectsJson()[0]?.n ?? 0) };
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  } else if (phase === 'one-rule') {
    // What one rule costs when it reads the raw files itself (no staging): the unit a naive evaluation
    // pays once per rule, and the "single full scan" the whole catalogue is compared with.
    const rule = (await loadRules()).find((r) => r.id === 'trail-tampering');
    if (!rule) throw new Error('trail-tampering rule missing');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(`SET threads = ${THREADS}`);
      for (const macro of TRINO_COMPAT_MACROS) await connection.run(macro);
      // Bench only: the file list is our own generated paths, quoted as SQL literals for the view.
      const list = `[${files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ')}]`;
      await connection.run(`CREATE VIEW cloudtrail_logs AS ${rawRelationSql(list)}`);
      const statement = await connection.prepare(rule.sql);
      statement.bindVarchar(1, '0000-01-01T00:00:00Z');
      statement.bindVarchar(2, '9999-12-31T23:59:59Z');
      const reader = await statement.runAndReadAll();
      detail = { rule: rule.id, findings: reader.currentRowCount };
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  } else {
    const engine = await openDuckDbEngine({
      logs: dir,
      log: silentLogger,
      progress: false,
      threads: THREADS,
    });
    try {
      if (phase === 'stage' || phase === 'write') {
        const columns = columnsReadBy(await loadRules());
        events = (await engine.stage({ since: null, until: null }, columns)).events;
        detail = { columns: columns?.length ?? 'all' };
        if (phase === 'write') {
          // What DuckDB spends only writing the staged rows, already parsed: a copy of the staged table. No
          // reader that stages into DuckDB takes less than decompression plus this. Only the copy is timed.
          started = performance.now();
          await engine.run('CREATE TABLE bench_write_floor AS SELECT * FROM cloudtrail_logs', []);
        }
      } else {
        const config = parseConfig({
          approvedRegions: ['us-east-1', 'eu-west-1', 'us-west-2'],
          approvedImages: ['ami-0a1b2c3d4e5f67890'],
        });
        const rules = await loadRules();
        const stageStarted = performance.now();
        const result = await detect(engine, rules, config, { since: null, until: null }, silentLogger);
        events = result.stage?.events ?? 0;
        const rulesRan = result.runs.filter((r) => r.status === 'ran').length;
        detail = {
          rules: rulesRan,
          rulesFailed: result.runs.filter((r) => r.status === 'failed').length,
          findings: result.findings.length,
          stageSeconds: Number(((result.stage?.durationMs ?? 0) / 1000).toFixed(2)),
          rulesSeconds: Number(
            ((performance.now() - stageStarted - (result.stage?.durationMs ?? 0)) / 1000).toFixed(2),
          ),
        };
      }
    } finally {
      await engine.close();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    phase,
    seconds: Number(seconds.toFixed(2)),
    events,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(detail ? { detail } : {}),
  };
}

// Run as a child: node dist-tools/bench/engine.js <phase> <dir> prints one JSON line.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [phase, dir] = process.argv.slice(2) as [EnginePhase, string];
  const result = await runPhase(phase, dir);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
