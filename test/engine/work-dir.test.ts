import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createWorkDir,
  OWNER_FILE,
  removeStaleWorkDirs,
  WORK_DIR_PREFIX,
} from '../../src/engine/work-dir.js';
import { silentLogger } from '../../src/shared/log.js';

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

async function folder(parent: string, name: string, owner?: object): Promise<string> {
  const dir = join(parent, `${WORK_DIR_PREFIX}${name}`);
  await mkdir(dir);
  await writeFile(join(dir, 'window.duckdb'), 'x');
  if (owner) await writeFile(join(dir, OWNER_FILE), JSON.stringify(owner));
  return dir;
}

describe('engine working folders', () => {
  it('name their owner: this process on this host', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'tw-workdir-'));
    const dir = await createWorkDir(parent);
    expect(dir.startsWith(join(parent, WORK_DIR_PREFIX))).toBe(true);
    const owner = JSON.parse(await readFile(join(dir, OWNER_FILE), 'utf8')) as { pid: number; host: string };
    expect(owner).toMatchObject({ pid: process.pid, host: hostname() });
  });

  it('left by a dead process on this host are removed; every other folder is left alone', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'tw-workdir-'));
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const dead = await folder(parent, 'dead', { pid: await deadPid(), host: hostname(), started: '' });
      await folder(parent, 'live', { pid: sleeper.pid, host: hostname(), started: '' });
      await folder(parent, 'mine', { pid: process.pid, host: hostname(), started: '' });
      // A shared disk: a process id of another machine says nothing about this one.
      await folder(parent, 'elsewhere', { pid: await deadPid(), host: `not-${hostname()}`, started: '' });
      // Being created this instant (no owner file yet), or not the engine's.
      await folder(parent, 'unowned');
      await folder(parent, 'garbled', { pid: 'x' });
      await mkdir(join(parent, 'other-folder'));

      const removed = await removeStaleWorkDirs(parent, silentLogger);

      expect(removed).toEqual([dead]);
      expect((await readdir(parent)).sort()).toEqual(
        ['elsewhere', 'garbled', 'live', 'mine', 'unowned']
          .map((n) => `${WORK_DIR_PREFIX}${n}`)
          .concat('other-folder')
          .sort(),
      );
    } finally {
      sleeper.kill();
    }
  });

  it('finds nothing to do in a folder that does not exist', async () => {
    expect(await removeStaleWorkDirs(join(tmpdir(), 'tw-no-such-folder-here'), silentLogger)).toEqual([]);
  });
});
