// Two runs on one --out through the real CLI, each its own process: they leave one whole bundle and a clear
// refusal (or two whole bundles one after the other), never a mix; a run killed half-way leaves the previous
// bundle whole and only its own folder marked incomplete.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fillRecord } from '../../src/rules/test-cases.js';
import { expectWholeBundle } from '../support/bundle.js';

const ENTRY = join(import.meta.dirname, '..', 'support', 'trailwatch-process.ts');
let dir: string;

interface Org {
  name: string;
  logs: string;
  config: string;
  events: number;
}

async function makeOrg(name: string, events: number, pdf: boolean): Promise<Org> {
  const logs = join(dir, `logs-${name}`);
  await mkdir(logs);
  const records = Array.from({ length: events }, (_, i) => fillRecord({}, i + 1));
  await writeFile(join(logs, 'events.json'), JSON.stringify({ Records: records }));
  const config = join(dir, `${name}.yaml`);
  await writeFile(config, `organization: ${name}\nreport: { pdf: ${pdf} }\n`);
  return { name, logs, config, events };
}

function start(org: Org, out: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ENTRY, 'scan', '--logs', org.logs, '--config', org.config, '--out', out, '--report'],
    // Its own process group, so that killing it also ends the browser it started.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stderr })),
  );
  return { child, exit, stderr: () => stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tw-evidence-cli-'));
});

describe('concurrent runs on one output folder, through the CLI', () => {
  it('leave one whole bundle per run that went ahead, a clear refusal for the others, and never a mix', async () => {
    // Alpha reads little and then prints a PDF for seconds; Bravo and Charlie read more and print none. Left
    // to themselves, their files land in the folder interleaved (findings.json from one, the digest from another).
    const orgs = await Promise.all([
      makeOrg('Org-Alpha', 3, true),
      makeOrg('Org-Bravo', 20_000, false),
      makeOrg('Org-Charlie', 8_000, false),
    ]);
    const out = join(dir, 'shared-out');

    const results = await Promise.all(orgs.map((org) => start(org, out).exit));

    for (const r of results) {
      if (r.code === 2) expect(r.stderr).toContain(`${out} is in use by another trailwatch run`);
      else expect(r.code, r.stderr).toBe(0);
    }
    expect(results.some((r) => r.code === 0)).toBe(true);
    const { files } = await expectWholeBundle(out);
    expect(files).toEqual(expect.arrayContaining(['digest.html', 'digest.txt', 'findings.json']));
    // findings.json and the digest come from the same run: the same organization and event count.
    const doc = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as {
      run: { organization: string; eventsRead: number };
    };
    const org = orgs.find((o) => o.name === doc.run.organization);
    expect(org).toBeDefined();
    expect(doc.run.eventsRead).toBe(org!.events);
    const digest = await readFile(join(out, 'digest.txt'), 'utf8');
    for (const other of orgs) expect(digest.includes(other.name), other.name).toBe(other === org);
    // No lock and no working folder is left behind.
    expect((await readdir(dir)).filter((n) => n.startsWith('.shared-out'))).toEqual([]);
    // Each run is its own process compiled from source: slow on a loaded machine, not a speed assertion.
  }, 180_000);

  it('a run killed half-way leaves the previous bundle whole and its own folder marked incomplete', async () => {
    const parent = await mkdtemp(join(dir, 'killed-'));
    const out = join(parent, 'out');
    const first = await start(await makeOrg('Org-Before', 4, false), out).exit;
    expect(first.code, first.stderr).toBe(0);
    const before = await readFile(join(out, 'findings.json'), 'utf8');

    // The second run prints a PDF (seconds of work once every rule has run, before anything is delivered
    // into its working folder): killed in the middle.
    const run = start(await makeOrg('Org-Killed', 9, true), out);
    let partial: string | undefined;
    for (let i = 0; i < 1500 && !partial; i += 1) {
      const name = (await readdir(parent)).find((n) => n.endsWith('.partial'));
      if (name && /running rules done/.test(run.stderr())) partial = join(parent, name);
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(partial).toBeDefined();
    process.kill(-run.child.pid!, 'SIGKILL');
    await run.exit;

    expect(await readFile(join(out, 'findings.json'), 'utf8')).toBe(before);
    await expectWholeBundle(out);
    expect(existsSync(join(partial!, 'INCOMPLETE.txt'))).toBe(true);
    expect(existsSync(join(partial!, 'manifest.json'))).toBe(false);
  }, 180_000);
});
