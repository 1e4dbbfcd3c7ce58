// The evidence folder under a busy or hostile --out: every bundle is built in a private folder and moved into
// place whole, a second live run on the same folder is refused, and an output path that cannot be written is
// a delivery error (exit 2), never a crash. Real files, real DuckDB, the CLI in this process.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBundle } from '../../src/deliver/bundle-folder.js';
import { fillRecord } from '../../src/rules/test-cases.js';
import { expectWholeBundle } from '../support/bundle.js';
import { runCli } from '../support/cli.js';

let dir: string;
let logs: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tw-evidence-'));
  logs = join(dir, 'logs');
  await mkdir(logs);
  const root = fillRecord(
    {
      eventSource: 'iam.amazonaws.com',
      eventName: 'ListUsers',
      userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' },
    },
    1,
  );
  await writeFile(join(logs, 'events.json'), JSON.stringify({ Records: [root, fillRecord({}, 2)] }));
});

async function scan(out: string, extra: string[] = []) {
  return runCli(['scan', '--logs', logs, '--out', out, ...extra]);
}

describe('the bundle is built aside and moved into place whole', () => {
  it('replaces the previous bundle whole, leaving no working folder behind', async () => {
    const parent = await mkdtemp(join(dir, 'whole-'));
    const out = join(parent, 'out');
    expect((await scan(out)).code).toBe(0);
    // Debris of an earlier life of the folder: a stray file inside the bundle.
    await writeFile(join(out, 'stray.txt'), 'not evidence');

    const { code } = await scan(out);

    expect(code).toBe(0);
    await expectWholeBundle(out);
    expect(existsSync(join(out, 'stray.txt'))).toBe(false);
    expect((await readdir(parent)).sort()).toEqual(['out']);
  });

  it('refuses a second run while a live run holds the folder, naming the holder, and leaves its files alone', async () => {
    const out = join(await mkdtemp(join(dir, 'busy-')), 'out');
    const first = await openBundle(out, 'first');
    await writeFile(join(first.dir, 'findings.json'), '{}');

    const second = await scan(out);

    expect(second.code).toBe(2);
    expect(second.err).toContain(`${out} is in use by another trailwatch run (process ${process.pid}`);
    expect(existsSync(join(first.dir, 'findings.json'))).toBe(true);
    expect(await first.commit()).toEqual([]);
    expect(await readFile(join(out, 'findings.json'), 'utf8')).toBe('{}');
  });

  it('takes over the lock of a run that died, and the dead run leaves only its marked-incomplete folder', async () => {
    const parent = await mkdtemp(join(dir, 'stale-'));
    const out = join(parent, 'out');
    await scan(out);
    const before = await readFile(join(out, 'findings.json'), 'utf8');
    // What a run killed half-way leaves: its lock (a process that no longer exists) and its working folder.
    await writeFile(
      join(parent, '.out.trailwatch.lock'),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), startedAt: 'x' }),
    );
    await mkdir(join(parent, '.out.trailwatch-dead.partial'));
    await writeFile(join(parent, '.out.trailwatch-dead.partial', 'INCOMPLETE.txt'), 'the run did not finish');
    expect(await readFile(join(out, 'findings.json'), 'utf8')).toBe(before);

    const { code } = await scan(out);

    expect(code).toBe(0);
    await expectWholeBundle(out);
    expect(existsSync(join(parent, '.out.trailwatch.lock'))).toBe(false);
  });
});

describe('an output path that cannot be written is a delivery error, exit 2, never a crash', () => {
  it('--out names a file: the file is left alone and the complete bundle is kept beside it, named', async () => {
    const parent = await mkdtemp(join(dir, 'file-'));
    const out = join(parent, 'out');
    await writeFile(out, 'a file the user keeps');

    const { code, err, out: stdout } = await scan(out);

    expect(err).not.toContain('internal error');
    expect(err).toContain(`${out} is not a folder`);
    expect(stdout).toContain('output-not-written');
    expect(stdout).toContain('AUDIT INCOMPLETE');
    expect(code).toBe(2);
    expect(await readFile(out, 'utf8')).toBe('a file the user keeps');
    const kept = (await readdir(parent)).filter((n) => n !== 'out');
    expect(kept).toHaveLength(1);
    expect(err).toContain(join(parent, kept[0]!));
    await expectWholeBundle(join(parent, kept[0]!));
  });

  it('a folder of other things: only the bundle files are placed; OUT/queries being a file fails that part alone', async () => {
    const out = await mkdtemp(join(dir, 'foreign-'));
    await writeFile(join(out, 'notes.md'), 'mine');
    await writeFile(join(out, 'queries'), 'a file where the SQL folder goes');

    const { code, err } = await scan(out);

    expect(err).not.toContain('internal error');
    expect(err).toMatch(/queries\/[a-z-]+\.sql could not be written/);
    expect(code).toBe(2);
    expect(await readFile(join(out, 'notes.md'), 'utf8')).toBe('mine');
    expect(JSON.parse(await readFile(join(out, 'findings.json'), 'utf8'))).toMatchObject({ run: {} });
    // No manifest vouches for a bundle that is missing its SQL.
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
  });

  it.each(['manifest.json', 'findings.json'])('OUT/%s is a folder', async (name) => {
    const out = await mkdtemp(join(dir, 'folder-'));
    await mkdir(join(out, name));
    await writeFile(join(out, name, 'keep.txt'), 'x');

    const { code, err } = await scan(out);

    expect(err).not.toContain('internal error');
    expect(err).toContain(`${join(out, name)} could not be written`);
    expect(code).toBe(2);
    expect((await stat(join(out, name))).isDirectory()).toBe(true);
    if (name === 'manifest.json') expect(existsSync(join(out, 'findings.json'))).toBe(true);
  });
});
