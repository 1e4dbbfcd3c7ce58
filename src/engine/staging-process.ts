// Where the raw logs are parsed: a DuckDB connection in a child process that writes a database file. DuckDB's
// JSON reader is native code fed attacker-controlled files; a file that crashes it (a record nested some
// 70,000 levels deep segfaulted DuckDB 1.5 when it detected the files' layout) must take down only this
// process, never the run. The parent sees the crash as a failed statement, starts a fresh process on the
// same database file (committed inserts survive; the crashed one was never committed) and isolates the file
// as it does for read errors.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { listValue } from '@duckdb/node-api';

/** A named parameter: a VARCHAR, NULL, or a VARCHAR list. */
export type StagingParam = string | null | readonly string[];

/** A connection the staging statements run on, in this process or in a child. */
export interface StagingConnection {
  /** Runs one statement with named `$name` parameters and returns its rows as JSON-safe objects. */
  run(
    sql: string,
    params?: Readonly<Record<string, StagingParam>>,
    onProgress?: (percent: number) => void,
  ): Promise<Record<string, unknown>[]>;
  /** Checkpoints and releases the database. */
  close(): Promise<void>;
}

/** The staging process died while running a statement (a signal such as SIGSEGV, or an unexpected exit). */
export class StagingCrash extends Error {
  override readonly name = 'StagingCrash';
  constructor(
    readonly signal: NodeJS.Signals | null,
    readonly exitCode: number | null,
  ) {
    super(
      signal
        ? `the JSON reader's process was killed by ${signal}`
        : `the JSON reader's process exited unexpectedly (code ${String(exitCode)})`,
    );
  }
}

function bindNamed(statement: DuckDBPreparedStatement, params: Readonly<Record<string, StagingParam>>): void {
  for (const [name, value] of Object.entries(params)) {
    const index = statement.parameterIndex(name);
    if (value === null) statement.bindNull(index);
    else if (typeof value === 'string') statement.bindVarchar(index, value);
    else statement.bindValue(index, listValue([...value]));
  }
}

/** Staging statements on a connection of this process (rule test cases: our own small generated files). */
export function localStagingConnection(connection: DuckDBConnection): StagingConnection {
  return {
    async run(sql, params = {}, onProgress) {
      const statement = await connection.prepare(sql);
      bindNamed(statement, params);
      const timer = onProgress ? setInterval(() => onProgress(connection.progress.percentage), 500) : null;
      try {
        return (await statement.runAndReadAll()).getRowObjectsJson();
      } finally {
        if (timer) clearInterval(timer);
      }
    },
    async close() {
      // The caller owns the connection.
    },
  };
}

// The child's program. It is plain JavaScript run with `node -e`, so it works both from the compiled
// package and under the test runner; it only executes what the parent sends.
const CHILD_SOURCE = `
const { duckdb, database, settings, setup } = JSON.parse(process.argv[1]);
const { DuckDBInstance, listValue } = await import(duckdb);
const instance = await DuckDBInstance.create(database, settings);
const connection = await instance.connect();
for (const sql of setup) await connection.run(sql);
// The parent gone (killed): stop writing at once rather than finish a statement nobody will read.
let closing = false;
process.on('disconnect', () => {
  if (!closing) process.exit(1);
});
process.on('message', async (message) => {
  if (message.close) {
    closing = true;
    connection.closeSync();
    instance.closeSync();
    process.disconnect();
    return;
  }
  const { id, sql, params, progress } = message;
  const timer = progress ? setInterval(() => process.send({ id, progress: connection.progress.percentage }), 500) : null;
  try {
    const statement = await connection.prepare(sql);
    for (const [name, value] of Object.entries(params)) {
      const index = statement.parameterIndex(name);
      if (value === null) statement.bindNull(index);
      else if (typeof value === 'string') statement.bindVarchar(index, value);
      else statement.bindValue(index, listValue(value));
    }
    const rows = (await statement.runAndReadAll()).getRowObjectsJson();
    process.send({ id, rows });
  } catch (error) {
    process.send({ id, error: error instanceof Error ? error.message : String(error) });
  } finally {
    if (timer) clearInterval(timer);
  }
});
process.send({ ready: true });
`;

type ChildMessage =
  | { ready: true }
  | { id: number; rows: Record<string, unknown>[] }
  | { id: number; error: string }
  | { id: number; progress: number };

interface Pending {
  resolve: (rows: Record<string, unknown>[]) => void;
  reject: (error: Error) => void;
  onProgress?: ((percent: number) => void) | undefined;
}

/**
 * A staging connection in a child process over the database file `database`, opened with DuckDB `settings`
 * (memory_limit, temp_directory, threads…) and then the `setup` statements. After a crash the next
 * statement starts a new process.
 */
export function childStagingConnection(
  database: string,
  settings: Record<string, string>,
  setup: readonly string[] = [],
): StagingConnection {
  const duckdb = pathToFileURL(createRequire(import.meta.url).resolve('@duckdb/node-api')).href;
  let child: ChildProcess | null = null;
  let ready: Promise<void> | null = null;
  let nextId = 0;
  const pending = new Map<number, Pending>();

  function start(): Promise<void> {
    const proc = spawn(
      process.execPath,
      ['--input-type=module', '-e', CHILD_SOURCE, JSON.stringify({ duckdb, database, settings, setup })],
      { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
    );
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    return new Promise<void>((resolve, reject) => {
      proc.on('message', (message: ChildMessage) => {
        if ('ready' in message) {
          resolve();
          return;
        }
        const waiting = pending.get(message.id);
        if (!waiting) return;
        if ('progress' in message) waiting.onProgress?.(message.progress);
        else {
          pending.delete(message.id);
          if ('rows' in message) waiting.resolve(message.rows);
          else waiting.reject(new Error(message.error));
        }
      });
      proc.on('exit', (code, signal) => {
        if (child === proc) {
          child = null;
          ready = null;
        }
        const crash = new StagingCrash(signal, code);
        // Node prints an uncaught error's message on a line of its own (the last lines are its version).
        const said = stderr.split('\n').find((l) => /error/i.test(l));
        if (said) crash.message += `: ${said.trim()}`;
        reject(crash);
        for (const [id, waiting] of pending) {
          pending.delete(id);
          waiting.reject(crash);
        }
      });
      proc.on('error', reject);
    });
  }

  return {
    async run(sql, params = {}, onProgress) {
      ready ??= start();
      await ready;
      const proc = child;
      if (!proc) throw new StagingCrash(null, null);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, onProgress });
        proc.send({ id, sql, params, progress: onProgress !== undefined });
      });
    },
    async close() {
      const proc = child;
      if (!proc || !ready) return;
      await ready;
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.send({ close: true });
      });
    },
  };
}
