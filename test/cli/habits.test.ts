// Command-line habits: JSON summaries on stdout with logs on stderr, a closed pipe, --quiet and --verbose,
// the AWS region for the athena commands.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { athenaRegion, loadAthenaConfig } from '../../src/cli/athena.js';
import { inertJson } from '../../src/cli/summary.js';
import { generateSampleOrg } from '../../src/samples/generate.js';
import { PROJECT_ROOT } from '../../src/shared/version.js';
import { runCli } from '../support/cli.js';

let logs: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tw-habits-'));
  logs = join(dir, 'logs');
  await generateSampleOrg(logs, { events: 400 });
}, 60_000);

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('--json', () => {
  it('makes scan print the run summary as JSON on stdout, logs on stderr', async () => {
    const { code, out, err } = await runCli([
      'scan',
      '--logs',
      logs,
      '--out',
      join(dir, 'out-json'),
      '--json',
    ]);
    const summary = JSON.parse(out) as {
      runId: string;
      complete: boolean;
      exitCode: number;
      counts: { alerts: number; review: number; suppressed: number };
      run: { eventsRead: number; rules?: unknown };
      rules: { ruleId: string; status: string; findings: number }[];
      outDir: string;
    };
    expect(summary.exitCode).toBe(code);
    expect(summary.run.eventsRead).toBeGreaterThan(0);
    expect(summary.run.rules).toBeUndefined();
    expect(summary.rules.length).toBeGreaterThan(10);
    expect(summary.counts.alerts + summary.counts.review).toBe(
      summary.rules.reduce((n, r) => n + r.findings, 0) - summary.counts.suppressed,
    );
    expect(summary.outDir).toBe(join(dir, 'out-json'));
    expect(err).toMatch(/^info /m);
  }, 60_000);

  it('makes coverage print its summary as JSON, without the account × region matrix', async () => {
    const snapshot = join(PROJECT_ROOT, 'samples', 'org-snapshot.json');
    const out = join(dir, 'out-coverage');
    const result = await runCli(['coverage', '--org-snapshot', snapshot, '--out', out, '--json']);
    const summary = JSON.parse(result.out) as Record<string, unknown>;
    expect(summary.exitCode).toBe(result.code);
    expect(summary.matrix).toBeUndefined();
    expect(summary.summary).toMatchObject({ accountsTotal: 5 });
    expect(summary.outputs).toEqual([join(out, 'org-snapshot.json'), join(out, 'coverage.json')]);
  });

  it('writes JSON that parses to the same data and is inert on a terminal and in an Actions log', () => {
    const value = { principal: '::error::forged\u009b31m\u202Eevil', n: 1 };
    const text = inertJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).not.toContain('::');
    expect(text).not.toMatch(/[\u0080-\u009f\u202e]/);
  });
});

describe('--quiet and --verbose', () => {
  it('--quiet logs only warnings and errors; the summary still prints', async () => {
    const { out, err } = await runCli(['--quiet', 'scan', '--logs', logs, '--out', join(dir, 'out-q')]);
    expect(err).not.toMatch(/^(info|debug) /m);
    expect(out).toMatch(/audit complete|AUDIT INCOMPLETE/);
    // The level is the command's only: the environment is as it was.
    expect(process.env.TRAILWATCH_LOG_LEVEL).toBeUndefined();
  }, 60_000);

  it('--verbose adds debug lines', async () => {
    const { err } = await runCli(['rules', 'list', '--verbose']);
    expect(err).toMatch(/^debug trailwatch version=/m);
  });
});

describe('a closed pipe', () => {
  it('ends `trailwatch rules list | head -1` quietly with exit code 0', async () => {
    const entry = fileURLToPath(new URL('../support/cli-main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', entry, 'rules', 'list'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes away before a line is written, as `head` does once it has its line.
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});

describe('the AWS region of the athena commands', () => {
  it('comes from AWS_REGION when the config names none (it was us-east-1)', async () => {
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    const file = join(dir, 'athena.yaml');
    await writeFile(file, 'engine: { type: athena }\n');
    expect(athenaRegion(await loadAthenaConfig(file))).toBe('eu-central-1');
    await writeFile(file, 'aws: { region: ap-southeast-2 }\n');
    expect(athenaRegion(await loadAthenaConfig(file))).toBe('ap-southeast-2');
  });
});
