// The embedded engine under its limits: a memory limit below the staged window spills to disk and finds the
// same; a limit that cannot be met ends the run explicitly (exit 2, every rule named as not evaluated); a
// record nested deeply enough to have crashed DuckDB's reader is read and evaluated. Real DuckDB, real files,
// the CLI.
// The spill case needs a window over twice the smallest workable limit (~64 MB), so it reads ~150 MB of JSON
// twice: seconds on an idle machine, minutes on a loaded one, hence the long timeouts.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { sizeBytes } from '../../src/engine/engine-limits.js';
import type { FindingsFile } from '../../src/model.js';
import { loadRules } from '../../src/rules/load.js';
import { fillRecord } from '../../src/rules/test-cases.js';
import { runCli } from '../support/cli.js';

const ACCOUNT = '111122223333';
const FILES = 120;
const PER_FILE = 300;
// Each record carries this many characters of incompressible request parameters, so the staged window is
// larger than the limit however DuckDB compresses it.
const PAD_CHARS = 4000;
const LIMIT = '64MB';

let root: string;
let logs: string;

async function scan(
  name: string,
  config: string,
  extra: string[] = [],
): Promise<{ code: number; doc: FindingsFile }> {
  const out = join(root, `out-${name}`);
  const configPath = join(root, `${name}.yaml`);
  await writeFile(configPath, config);
  const { code } = await runCli(['scan', '--logs', logs, '--out', out, '--config', configPath, ...extra]);
  return { code, doc: JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as FindingsFile };
}

const ENTRY = join(import.meta.dirname, '..', 'support', 'trailwatch-process.ts');

/** The CLI in a process of its own (`wrap` goes before it, e.g. unshare), in its own process group. */
function startCli(args: string[], wrap: string[] = []) {
  const command = [...wrap, process.execPath, '--import', 'tsx', ENTRY, ...args];
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  child.stdout.resume();
  const exit = new Promise<{ code: number | null; err: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, err })),
  );
  return { child, exit };
}

const engineFolders = async (dir: string) =>
  (await readdir(dir)).filter((n) => n.startsWith('trailwatch-engine-'));

/** Every rule of the catalogue is named as not evaluated. */
async function expectEveryRuleNotEvaluated(doc: FindingsFile): Promise<void> {
  const ruleIds = (await loadRules()).map((r) => r.id).sort();
  const named = doc.errors.filter((e) => e.code === 'rule-not-evaluated').map((e) => e.id);
  expect(named.sort()).toEqual(ruleIds);
}

/** A scan that evaluated every event: no error, `events` read, one trail-tampering finding per StopLogging. */
function expectEveryEventEvaluated(
  { code, doc }: { code: number | null; doc: FindingsFile },
  events: number,
  stops: number,
): void {
  expect(doc.errors.filter((e) => e.severity !== 'warning')).toEqual([]);
  expect(doc.run.eventsRead).toBe(events);
  expect(doc.findings.filter((f) => f.ruleId === 'trail-tampering')).toHaveLength(stops);
  expect(doc.run.complete).toBe(true);
  expect(code).toBe(0);
}

const findingKeys = (doc: FindingsFile) => doc.findings.map((f) => `${f.ruleId} ${f.eventId ?? ''}`).sort();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tw-limits-'));
  logs = join(root, 'logs');
  const dir = join(logs, 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', '2026', '11', '20');
  await mkdir(dir, { recursive: true });
  let index = 0;
  for (let f = 0; f < FILES; f += 1) {
    const records = Array.from({ length: PER_FILE }, () => {
      index += 1;
      const pad = randomBytes((PAD_CHARS * 3) / 4).toString('base64');
      // Every 200th event stops a trail: the findings to compare.
      return index % 200 === 0
        ? fillRecord(
            {
              eventSource: 'cloudtrail.amazonaws.com',
              eventName: 'StopLogging',
              requestParameters: { name: 'org-trail', pad },
            },
            index,
          )
        : fillRecord(
            { eventSource: 's3.amazonaws.com', eventName: 'GetObject', requestParameters: { pad } },
            index,
          );
    });
    await writeFile(
      join(dir, `${ACCOUNT}_CloudTrail_us-east-1_20261120T1200Z_f${f}.json.gz`),
      gzipSync(JSON.stringify({ Records: records }), { level: 1 }),
    );
  }
});

describe('the embedded engine under a memory limit', () => {
  it('spills to disk and finds exactly what it finds without the limit', async () => {
    // The staged request parameters alone are over twice the limit: the window cannot sit in memory.
    expect(FILES * PER_FILE * PAD_CHARS).toBeGreaterThan(2 * sizeBytes(LIMIT));
    const limited = await scan('limited', `engine:\n  duckdb:\n    memoryLimit: ${LIMIT}\n    threads: 1\n`);
    const free = await scan('free', 'engine:\n  duckdb:\n    memoryLimit: 2GB\n');
    expect(limited.doc.errors.filter((e) => e.severity !== 'warning')).toEqual([]);
    expect(limited.code).toBe(0);
    expect(limited.doc.run.eventsRead).toBe(FILES * PER_FILE);
    expect(findingKeys(limited.doc)).toEqual(findingKeys(free.doc));
    expect(limited.doc.findings.filter((f) => f.ruleId === 'trail-tampering')).toHaveLength(
      (FILES * PER_FILE) / 200,
    );
    // Two scans of a spilling engine: minutes on a loaded machine.
  }, 600_000);

  it('ends explicitly when the limit cannot be met: the limit named, every rule not evaluated, exit 2', async () => {
    const { code, doc } = await scan('starved', 'engine:\n  duckdb:\n    memoryLimit: 8MB\n');
    expect(code).toBe(2);
    expect(doc.run.complete).toBe(false);
    expect(doc.findings).toEqual([]);
    const engineError = doc.errors.find((e) => e.scope === 'engine');
    expect(engineError?.code).toBe('engine-out-of-memory');
    expect(engineError?.message).toContain('8MB (engine.duckdb.memoryLimit)');
    // Out of memory is the engine's problem: no file is blamed for it.
    expect(doc.errors.filter((e) => e.scope === 'file')).toEqual([]);
    await expectEveryRuleNotEvaluated(doc);
    expect(doc.run.rules.every((r) => r.status === 'failed')).toBe(true);
  }, 180_000);
});

describe('a record nested 70,000 levels deep', () => {
  // DuckDB 1.5's reader segfaulted on it (the whole process, without a word) while working out whether each
  // file's keys are its columns (records = 'auto'); the staging read says so (records = true) and reads it.
  // A file that still crashed the reader would be named by the staging process's isolation.
  it('is read and evaluated like every other file', async () => {
    const deepRoot = await mkdtemp(join(tmpdir(), 'tw-deep-'));
    const dir = join(deepRoot, 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', '2026', '11', '20');
    await mkdir(dir, { recursive: true });
    const stop = (index: number, requestParameters: string) =>
      JSON.stringify(
        fillRecord(
          { eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: 0 },
          index,
        ),
      ).replace('"requestParameters":0', `"requestParameters":${requestParameters}`);
    const depth = 70_000;
    const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    await writeFile(join(dir, 'deep.json'), `{"Records":[${stop(1, deep)}]}`);
    for (const name of ['a', 'b', 'c']) {
      await writeFile(join(dir, `${name}.json`), `{"Records":[${stop(name.charCodeAt(0), '{"name":"t"}')}]}`);
    }
    const out = join(deepRoot, 'out');
    const { code } = await runCli(['scan', '--logs', deepRoot, '--out', out, '--config', '/dev/null']);
    const doc = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as FindingsFile;
    expectEveryEventEvaluated({ code, doc }, 4, 4);
  }, 180_000);
});

describe('a run killed with SIGKILL', () => {
  it('leaves its engine folder behind, and the next run removes it', async () => {
    const temp = await mkdtemp(join(tmpdir(), 'tw-killed-'));
    const configPath = join(root, 'killed.yaml');
    await writeFile(configPath, `engine:\n  duckdb:\n    tempDirectory: ${temp}\n`);
    const first = startCli([
      'scan',
      '--logs',
      logs,
      '--out',
      join(root, 'out-killed'),
      '--config',
      configPath,
    ]);
    // Wait until staging has started writing its database, then kill the whole process group.
    for (;;) {
      const [folder] = await engineFolders(temp);
      if (folder && (await readdir(join(temp, folder))).includes('window.duckdb')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    process.kill(-first.child.pid!, 'SIGKILL');
    await first.exit;
    const left = await engineFolders(temp);
    expect(left).toHaveLength(1);

    const second = await scan('after-kill', `engine:\n  duckdb:\n    tempDirectory: ${temp}\n`);

    expect(second.code).toBe(0);
    expect(second.doc.run.eventsRead).toBe(FILES * PER_FILE);
    // The killed run's folder is gone, and so is the second run's own.
    expect(await engineFolders(temp)).toEqual([]);
  }, 600_000);
});

/** The staging children of `pid`: processes it started on the engine's database (not tsx's own helper). */
async function stagingChildrenOf(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const children = text.split(/\s+/).filter(Boolean).map(Number);
  const staging: number[] = [];
  for (const child of children) {
    const args = await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '');
    if (args.includes('window.duckdb')) staging.push(child);
  }
  return staging;
}

/** CPU time (user + system) a process has used, in clock ticks; null once it is gone. */
async function cpuTicks(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return null;
  // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

describe('the JSON reader crashing mid-read', () => {
  it('costs no event and doubles none: the crashed batch is read again file by file, the run complete', async () => {
    // No file is known to crash DuckDB's reader any more (see above), so the crash is made: the staging
    // child is killed with SIGSEGV once it is busy reading (a second of CPU: well past its start, about 0.3 s, and within a read of several), as a reader
    // crash would kill it.
    const configPath = join(root, 'crashed.yaml');
    await writeFile(configPath, 'engine:\n  duckdb:\n    threads: 1\n');
    const out = join(root, 'out-crashed');
    const run = startCli(['scan', '--logs', logs, '--out', out, '--config', configPath]);
    let killed: number | null = null;
    let exited = false;
    void run.exit.then(() => (exited = true));
    while (killed === null && !exited) {
      for (const pid of await stagingChildrenOf(run.child.pid!)) {
        if (((await cpuTicks(pid)) ?? 0) >= 100) {
          process.kill(pid, 'SIGSEGV');
          killed = pid;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { code, err } = await run.exit;
    // The staging child was found busy and killed before the run ended (else this test proves nothing).
    expect(killed).not.toBeNull();
    const doc = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as FindingsFile;

    // The crash was met (the batch was isolated), and nothing was lost, doubled or blamed on a file.
    expect(err).toContain('isolating it');
    expect(doc.run.duplicateEvents).toBe(0);
    expectEveryEventEvaluated({ code, doc }, FILES * PER_FILE, (FILES * PER_FILE) / 200);
  }, 300_000);
});

describe('the embedded engine out of disk', () => {
  it('ends explicitly on a full filesystem: the setting named, every rule not evaluated, exit 2', async () => {
    // A real 4 MB filesystem, without root: a tmpfs in a mount namespace of the scan's own (unshare maps
    // this user to root there), much smaller than the staged window.
    const temp = await mkdtemp(join(tmpdir(), 'tw-full-'));
    const out = join(root, 'out-full');
    const configPath = join(root, 'full.yaml');
    await writeFile(configPath, `engine:\n  duckdb:\n    tempDirectory: ${temp}\n`);
    const mountThenRun = ['unshare', '--user', '--map-root-user', '--mount', 'sh', '-c'];
    const script = 'mount -t tmpfs -o size=4m tmpfs "$0" && exec "$@"';
    const { exit } = startCli(
      ['scan', '--logs', logs, '--out', out, '--config', configPath],
      [...mountThenRun, script, temp],
    );
    const { code, err } = await exit;
    const doc = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as FindingsFile;

    expect(code, err).toBe(2);
    expect(doc.run.complete).toBe(false);
    expect(doc.findings).toEqual([]);
    const engineError = doc.errors.find((e) => e.scope === 'engine');
    expect(engineError?.code).toBe('engine-out-of-disk');
    expect(engineError?.message).toContain('(engine.duckdb.tempDirectory)');
    expect(engineError?.message).toMatch(/No space left on device/i);
    expect(doc.errors.filter((e) => e.scope === 'file')).toEqual([]);
    await expectEveryRuleNotEvaluated(doc);
    // The mount was the scan's alone: the real folder is untouched and empty.
    expect(await readdir(temp)).toEqual([]);
  }, 300_000);
});
