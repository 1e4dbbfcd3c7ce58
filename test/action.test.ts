// The composite action (action.yml), run as a workflow runner would: each `run:` step in bash with its `env:`
// resolved from the inputs and earlier steps' outputs, GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STEP_SUMMARY files,
// and GITHUB_ACTION_PATH pointing at the action. The `uses:` steps (setup-node, upload-artifact) and the npm
// install are the runner's and the registry's part; trailwatch itself runs from source through tsx.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SNAPSHOT } from '../src/cli/demo.js';
import { PROJECT_ROOT } from '../src/shared/version.js';

const run = promisify(execFile);

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface ActionFile {
  runs: { using: string; steps: Step[] };
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
}

const actionText = await readFile(join(PROJECT_ROOT, 'action.yml'), 'utf8');
const action = parse(actionText) as ActionFile;

/** Parses name=value lines as a runner reads $GITHUB_OUTPUT (the simple form the scripts write). */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n').filter(Boolean)) {
    const i = line.indexOf('=');
    out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Resolves the only expressions the action's env blocks may use: inputs, the action path, step outputs. */
function resolve(
  value: string,
  ctx: { inputs: Record<string, string>; steps: Record<string, Record<string, string>> },
) {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    let m = /^inputs\.([a-z-]+)$/.exec(expr);
    if (m?.[1] !== undefined) return ctx.inputs[m[1]] ?? '';
    m = /^steps\.([a-z-]+)\.outputs\.([a-z-]+)$/.exec(expr);
    if (m?.[1] !== undefined && m[2] !== undefined) return ctx.steps[m[1]]?.[m[2]] ?? '';
    throw new Error(`unsupported expression in a run step's env: ${expr}`);
  });
}

interface ActionRun {
  outputs: Record<string, string>;
  steps: Record<string, Record<string, string>>;
  env: string;
  summary: string;
  failed: { step: string; code: number; stdout: string } | null;
}

/** Runs the action's shell steps after the install, in order, as a runner would. */
async function runAction(
  workspace: string,
  actionPath: string,
  given: Record<string, string>,
): Promise<ActionRun> {
  const inputs = Object.fromEntries(
    Object.entries(action.inputs).map(([k, v]) => [k, given[k] ?? v.default ?? '']),
  );
  const files = {
    GITHUB_OUTPUT: '',
    GITHUB_ENV: join(workspace, 'github-env'),
    GITHUB_STEP_SUMMARY: join(workspace, 'step-summary.md'),
  };
  await writeFile(files.GITHUB_ENV, '');
  await writeFile(files.GITHUB_STEP_SUMMARY, '');
  const ctx = { inputs, steps: {} as Record<string, Record<string, string>> };
  let failed: ActionRun['failed'] = null;
  for (const [index, step] of action.runs.steps.entries()) {
    if (!step.run || step.id === 'install') continue;
    // A step without if: runs only while nothing failed; the action's always() steps run regardless.
    if (failed && !step.if?.includes('always()')) continue;
    const outputFile = join(workspace, `output-${index}`);
    await writeFile(outputFile, '');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_OPTIONS: `--import ${pathToFileURL(join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href}`,
      GITHUB_ACTION_PATH: actionPath,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_ENV: files.GITHUB_ENV,
      GITHUB_STEP_SUMMARY: files.GITHUB_STEP_SUMMARY,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, resolve(v, ctx)])),
    };
    // Variables an earlier step exported through GITHUB_ENV (the browser's path).
    Object.assign(env, parseOutputs(await readFile(files.GITHUB_ENV, 'utf8')));
    try {
      await run('bash', ['-c', step.run], { cwd: workspace, env, timeout: 60_000 });
    } catch (error) {
      const e = error as { code?: number; stdout?: string };
      failed = { step: step.id ?? step.name ?? String(index), code: e.code ?? -1, stdout: e.stdout ?? '' };
    }
    if (step.id) ctx.steps[step.id] = parseOutputs(await readFile(outputFile, 'utf8'));
  }
  const outputs = Object.fromEntries(
    Object.entries(action.outputs).map(([k, v]) => [k, resolve(v.value, ctx)]),
  );
  return {
    outputs,
    steps: ctx.steps,
    env: await readFile(files.GITHUB_ENV, 'utf8'),
    summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'),
    failed,
  };
}

/** One CloudTrail record of the demo organization's day. */
function record(eventName: string, eventSource: string, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.11',
    eventTime: '2026-11-21T10:00:00Z',
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.9',
    userAgent: 'aws-cli/2.15.0',
    userIdentity: {
      type: 'IAMUser',
      arn: 'arn:aws:iam::444444444444:user/mallory',
      accountId: '444444444444',
    },
    eventID: `00000000-0000-4000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`,
    eventType: 'AwsApiCall',
    readOnly: false,
    recipientAccountId: '444444444444',
    requestParameters: { name: 'org-trail' },
    ...extra,
  };
}

let workspace: string;
let actionPath: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'tw-action-'));
  // The action as checked out by the runner: its scripts, and bin/trailwatch.js running the source.
  actionPath = join(workspace, '_action');
  await mkdir(join(actionPath, 'bin'), { recursive: true });
  await writeFile(join(actionPath, 'package.json'), '{ "type": "module" }\n');
  await symlink(join(PROJECT_ROOT, 'scripts'), join(actionPath, 'scripts'));
  await writeFile(
    join(actionPath, 'bin', 'trailwatch.js'),
    `import { main } from ${JSON.stringify(pathToFileURL(join(PROJECT_ROOT, 'src', 'cli', 'main.ts')).href)};\nprocess.exitCode = await main(process.argv);\n`,
  );
  const day = join(
    workspace,
    'logs',
    'AWSLogs',
    '444444444444',
    'CloudTrail',
    'us-east-1',
    '2026',
    '11',
    '21',
  );
  await mkdir(day, { recursive: true });
  // Every account of the snapshot logs something (an account whose trail logs but that sent no event makes
  // the audit incomplete); the StopLogging is the one alert.
  const snapshot = JSON.parse(await readFile(DEMO_SNAPSHOT, 'utf8')) as { accounts: { id: string }[] };
  const records = [
    record('StopLogging', 'cloudtrail.amazonaws.com'),
    record('DescribeTrails', 'cloudtrail.amazonaws.com', { readOnly: true }),
  ];
  for (const { id } of snapshot.accounts.filter((a) => a.id !== '444444444444')) {
    const folder = join(workspace, 'logs', 'AWSLogs', id, 'CloudTrail', 'us-east-1', '2026', '11', '21');
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, `${id}_CloudTrail_us-east-1_20261121T1000Z_a.json.gz`),
      gzipSync(
        JSON.stringify({
          Records: [
            record('DescribeTrails', 'cloudtrail.amazonaws.com', { readOnly: true, recipientAccountId: id }),
          ],
        }),
      ),
    );
  }
  await writeFile(
    join(day, '444444444444_CloudTrail_us-east-1_20261121T1000Z_a.json.gz'),
    gzipSync(JSON.stringify({ Records: records })),
  );
  await writeFile(
    join(workspace, 'trailwatch.config.yaml'),
    [
      'organization: Action Test Org',
      'approvedRegions: [us-east-1]',
      'engine:',
      '  type: duckdb',
      '  duckdb:',
      `    logs: ${JSON.stringify(join(workspace, 'logs'))}`,
      'report:',
      '  pdf: false',
      '',
    ].join('\n'),
  );
});

describe('the composite action', () => {
  it('is composite, with the inputs and outputs a team relies on', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.inputs['node-version']?.default).toBe('24');
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['config', 'date', 'out-dir', 'fail-on', 'email']),
    );
    expect(Object.keys(action.outputs)).toEqual(
      expect.arrayContaining(['alerts', 'review', 'complete', 'bundle-path']),
    );
    const uses = action.runs.steps.map((s) => s.uses?.split('@')[0]).filter(Boolean);
    expect(uses).toEqual(['actions/setup-node', 'actions/upload-artifact']);
    // Inputs reach the scripts through env, never pasted into a script's text.
    for (const step of action.runs.steps.filter((s) => s.run)) {
      expect(step.run).not.toContain('${{');
      expect(step.shell).toBe('bash');
    }
  });

  it('runs the daily job, reports its counts, writes the job summary, and fails on alerts when asked', async () => {
    const result = await runAction(workspace, actionPath, {
      config: 'trailwatch.config.yaml',
      date: '2026-11-21',
      'out-dir': 'bundle',
      'fail-on': 'alert',
      'org-snapshot': DEMO_SNAPSHOT,
    });
    // The runner's Chrome or Chromium (here /usr/bin/chromium), handed to the next steps.
    const browser = result.steps.browser?.path ?? '';
    expect(browser).toMatch(/\/(google-chrome|chromium)[^/]*$/);
    expect(result.env).toContain(`PUPPETEER_EXECUTABLE_PATH=${browser}`);
    expect(result.outputs).toMatchObject({
      // The StopLogging event, and the demo snapshot's region without a trail.
      alerts: '2',
      review: expect.stringMatching(/^\d+$/),
      complete: 'true',
      'bundle-path': join(workspace, 'bundle'),
      'exit-code': '1',
    });
    const doc = JSON.parse(await readFile(join(workspace, 'bundle', 'findings.json'), 'utf8')) as {
      findings: { ruleId: string }[];
    };
    expect(doc.findings.map((f) => f.ruleId)).toContain('trail-tampering');
    expect(result.summary).toContain('trailwatch');
    // The last step passes trailwatch's code on, after the outputs were read.
    expect(result.failed).toMatchObject({ code: 1 });
    expect(result.failed?.stdout).toContain('::error title=trailwatch::alerts found');
  }, 180_000);

  it('refuses an unknown fail-on value as bad input (exit code 3) without running the audit', async () => {
    const result = await runAction(workspace, actionPath, { 'fail-on': 'sometimes', 'out-dir': 'nothing' });
    expect(result.outputs).toMatchObject({
      'exit-code': '3',
      complete: 'false',
      alerts: '',
      'bundle-path': '',
    });
    expect(result.failed).toMatchObject({ code: 3 });
  }, 120_000);
});

describe('pinned actions', () => {
  it('pins every third-party action in the action, the workflows and the example to a commit, with its version', async () => {
    const { readdir } = await import('node:fs/promises');
    const workflows = join(PROJECT_ROOT, '.github', 'workflows');
    const texts = [
      actionText,
      ...(await Promise.all((await readdir(workflows)).map((f) => readFile(join(workflows, f), 'utf8')))),
      await readFile(join(PROJECT_ROOT, 'examples', 'github', 'daily-audit.yml'), 'utf8'),
    ];
    const uses = texts.flatMap((t) =>
      [...t.matchAll(/^\s*(?:-\s+)?uses:\s*(.+)$/gm)].map((m) => (m[1] ?? '').trim()),
    );
    expect(uses.length).toBeGreaterThan(5);
    for (const u of uses) {
      if (u === './') continue;
      expect(u).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });
});
