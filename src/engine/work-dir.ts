// The embedded engine's private working folder (the staged window's database file and DuckDB's spill files),
// and the clean-up of folders that killed runs left behind. A run removes its own folder when it closes; a
// run killed with SIGKILL (or by the out-of-memory killer) cannot, and a day's staged window can be gigabytes.
// Each folder names its owner (process id and host) in a file, so the next run removes only folders whose
// owner is a dead process on this host: never a running scan's, never another machine's on a shared disk.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../shared/log.js';

/** The prefix of every engine working folder. */
export const WORK_DIR_PREFIX = 'trailwatch-engine-';
/** The file in a working folder that names the process that owns it. */
export const OWNER_FILE = 'owner.json';

/** Who owns a working folder. */
export interface WorkDirOwner {
  pid: number;
  host: string;
  started: string;
}

/** Creates a working folder in `parent`, owned by this process. */
export async function createWorkDir(parent: string): Promise<string> {
  const dir = await mkdtemp(join(parent, WORK_DIR_PREFIX));
  const owner: WorkDirOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  await writeFile(join(dir, OWNER_FILE), `${JSON.stringify(owner)}\n`);
  return dir;
}

/** Whether process `pid` exists (EPERM: it exists, under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownerOf(dir: string): Promise<WorkDirOwner | null> {
  try {
    const owner = JSON.parse(await readFile(join(dir, OWNER_FILE), 'utf8')) as Partial<WorkDirOwner>;
    if (!Number.isInteger(owner.pid) || typeof owner.host !== 'string') return null;
    return { pid: owner.pid!, host: owner.host, started: String(owner.started ?? '') };
  } catch {
    // No owner file (a folder being created this instant, or not ours): not ours to remove.
    return null;
  }
}

/**
 * Removes the working folders in `parent` whose owner is a dead process on this host; returns their paths.
 * A folder without a readable owner file, owned by a live process, or by another host is left alone.
 */
export async function removeStaleWorkDirs(parent: string, log: Logger): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(parent, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && e.name.startsWith(WORK_DIR_PREFIX))
      .map((e) => e.name);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const host = hostname();
  for (const name of names) {
    const dir = join(parent, name);
    const owner = await ownerOf(dir);
    if (!owner || owner.host !== host || owner.pid === process.pid || alive(owner.pid)) continue;
    try {
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch (error) {
      log.warn('a killed run’s engine folder could not be removed', { dir, error });
    }
  }
  if (removed.length > 0) {
    log.info('removed engine folders left by killed runs', { count: removed.length, folders: removed });
  }
  return removed;
}
