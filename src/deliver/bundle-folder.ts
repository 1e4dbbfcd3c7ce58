// The evidence bundle's working folder. Every output of a run (findings.json, the SQL, the digest, the PDF,
// the org snapshot, the manifest, and whatever else a writer adds) is written into one private folder beside
// --out; when the run is done the folder is moved into place whole. Two runs on one --out never mix their
// files: a lock beside --out refuses the second while the first is alive, and a run killed half-way leaves the
// previous bundle untouched and its own folder named `.partial` with a file inside that says so.
import { hostname, tmpdir } from 'node:os';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { errorMessage, OutputBusyError, type RunErrorEntry } from '../shared/errors.js';
import { BUNDLE_MARKER, partialBundleName } from '../shared/bundle-names.js';

export { BUNDLE_MARKER };
/** The file that marks a working folder whose run has not finished (or was killed). */
export const INCOMPLETE_MARKER = 'INCOMPLETE.txt';

/** One run's evidence bundle on its way to --out (for `coverage`, --out itself: folderInPlace). */
export interface EvidenceBundle {
  /** Where the bundle ends up (--out), as given. */
  readonly outDir: string;
  /** The private working folder: write every output file of the run here (and nowhere else). */
  readonly dir: string;
  /** Where a file written in the working folder is once the bundle is in place. */
  finalPath(file: string): string;
  /**
   * Moves the finished bundle into place and releases the lock. What could not be placed comes back as
   * delivery errors (the files stay whole in the working folder, which the message names).
   */
  commit(): Promise<RunErrorEntry[]>;
  /** Removes the working folder and releases the lock: the run ended before it had a bundle to deliver. */
  discard(): Promise<void>;
}

interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

function holderAlive(holder: LockHolder): boolean {
  // A run on another machine (a shared disk) cannot be checked: it counts as alive.
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(lockFile: string): Promise<LockHolder | null> {
  try {
    const value = JSON.parse(await readFile(lockFile, 'utf8')) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string')
      return { pid: value.pid, host: value.host, startedAt: String(value.startedAt ?? '?') };
    return null;
  } catch {
    return null;
  }
}

/**
 * Takes the output folder's lock (a file created exclusively beside it). A lock left by a run that died is
 * taken over; one held by a live run refuses this one. Returns false when no lock can be written there at all
 * (then nothing can be delivered there either, and the commit says so).
 */
async function acquireLock(lockFile: string, outDir: string): Promise<boolean> {
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await writeFile(lockFile, `${JSON.stringify(me)}\n`, { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    }
    const holder = await readHolder(lockFile);
    // A lock still being written (empty) belongs to a run that has just started.
    if (!holder || holderAlive(holder)) {
      throw new OutputBusyError(
        `${outDir} is in use by another trailwatch run${holder ? ` (process ${holder.pid} on ${holder.host}, started ${holder.startedAt})` : ''}: ` +
          `wait for it to finish or choose another --out. If no run is alive, remove ${lockFile}.`,
      );
    }
    // Its run died (killed, or the machine restarted): the lock is stale.
    await rm(lockFile, { force: true });
  }
  throw new OutputBusyError(`${outDir} is in use by another trailwatch run; remove ${lockFile} if none is`);
}

function notPlaced(file: string, target: string, kept: string, error: unknown): RunErrorEntry {
  const code = (error as NodeJS.ErrnoException).code;
  return {
    scope: 'delivery',
    id: file,
    code: 'output-not-written',
    message: `${target} could not be written (${code ?? errorMessage(error)}); it is kept at ${kept}`,
  };
}

/** Every file under `dir`, depth first. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

/**
 * Places the bundle file by file into a folder trailwatch does not own (it holds other things, or is a link
 * to a folder): only the bundle's own names are replaced, manifest.json last, and the old manifest removed
 * first so that a run killed half-way leaves no manifest vouching for a mix.
 */
async function placeFileByFile(dir: string, target: string): Promise<RunErrorEntry[]> {
  const errors: RunErrorEntry[] = [];
  await rm(join(target, 'manifest.json'), { force: true }).catch(() => undefined);
  const files = (await filesUnder(dir))
    .filter((f) => basename(f) !== BUNDLE_MARKER)
    .sort((a, b) => Number(basename(a) === 'manifest.json') - Number(basename(b) === 'manifest.json'));
  for (const file of files) {
    const rel = relative(dir, file);
    const to = join(target, rel);
    if (rel === 'manifest.json' && errors.length > 0) {
      // A manifest beside an incomplete set of files would vouch for a mix: it stays with the whole bundle.
      errors.push(notPlaced(rel, to, file, new Error('other files of the bundle could not be placed')));
      continue;
    }
    try {
      await mkdir(dirname(to), { recursive: true });
      await rename(file, to);
    } catch (error) {
      errors.push(notPlaced(rel, to, file, error));
    }
  }
  if (errors.length === 0) await rm(dir, { recursive: true, force: true });
  return errors;
}

/** Moves the working folder into place: whole when --out is absent, empty or a bundle; else file by file. */
async function place(dir: string, target: string, shown: string, runId: string): Promise<RunErrorEntry[]> {
  const link = await lstat(target).catch(() => null);
  try {
    if (!link) {
      await rename(dir, target);
      return [];
    }
    const state = link.isSymbolicLink() ? await stat(target).catch(() => null) : link;
    if (!state?.isDirectory()) {
      return [
        {
          scope: 'delivery',
          id: shown,
          code: 'output-not-written',
          message: `${shown} is not a folder, so the evidence could not be put there; the complete bundle is at ${dir}`,
        },
      ];
    }
    const entries = await readdir(target);
    if (link.isSymbolicLink() || (entries.length > 0 && !entries.includes(BUNDLE_MARKER)))
      return await placeFileByFile(dir, target);
    if (entries.length === 0) {
      await rmdir(target);
      await rename(dir, target);
      return [];
    }
    // The previous bundle steps aside whole, the new one takes its name, then the old one goes.
    const old = join(dirname(target), `.${basename(target)}.trailwatch-${runId}.old`);
    await rename(target, old);
    await rename(dir, target);
    await rm(old, { recursive: true, force: true });
    return [];
  } catch (error) {
    return [notPlaced(shown, target, dir, error)];
  }
}

/**
 * Opens the evidence bundle for `outDir`: takes the folder's lock (throwing OutputBusyError when another
 * live run holds it) and creates the private working folder beside it.
 */
export async function openBundle(outDir: string, runId: string): Promise<EvidenceBundle> {
  const target = resolve(outDir);
  const parent = dirname(target);
  const name = basename(target);
  await mkdir(parent, { recursive: true }).catch(() => undefined);
  const lockFile = join(parent, `.${name}.trailwatch.lock`);
  const locked = await acquireLock(lockFile, outDir);
  const release = async () => {
    if (locked) await rm(lockFile, { force: true }).catch(() => undefined);
  };
  let dir = join(parent, partialBundleName(name, runId));
  try {
    await mkdir(dir);
  } catch {
    // Nothing can be written beside --out: the run still audits and sends its digest, and the bundle is
    // built in the system's temporary folder, which the commit's delivery error names.
    dir = await mkdtemp(join(tmpdir(), `trailwatch-${runId}-`));
  }
  try {
    await writeFile(
      join(dir, INCOMPLETE_MARKER),
      `This folder holds the evidence of trailwatch run ${runId} while it is being written. If it is still here, ` +
        `the run did not finish: these files are incomplete and are not the evidence of any audit.\n`,
    );
  } catch (error) {
    await release();
    throw error;
  }
  let closed = false;
  return {
    outDir,
    dir,
    finalPath: (file) => join(outDir, relative(dir, file)),
    async commit() {
      if (closed) return [];
      closed = true;
      try {
        await rm(join(dir, INCOMPLETE_MARKER), { force: true });
        await writeFile(
          join(dir, BUNDLE_MARKER),
          'This folder is a trailwatch evidence bundle: the next run on it replaces it whole.\n',
        );
        return await place(dir, target, outDir, runId);
      } finally {
        await release();
      }
    },
    async discard() {
      if (closed) return;
      closed = true;
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      await release();
    },
  };
}

/**
 * The output folder as it is, for a run that writes its files into it beside what it holds (`coverage`'s
 * org-snapshot.json and coverage.json): no lock, no working folder, nothing to move.
 */
export function folderInPlace(outDir: string): EvidenceBundle {
  return {
    outDir,
    dir: outDir,
    finalPath: (file) => file,
    commit: () => Promise.resolve([]),
    discard: () => Promise.resolve(),
  };
}

/** Where a run writes: its evidence bundle (see openBundle), or for `coverage` the output folder in place. */
export async function openOutput(
  input: { output: 'bundle' | 'coverage-files'; outDir: string },
  runId: string,
): Promise<EvidenceBundle> {
  return input.output === 'bundle' ? openBundle(input.outDir, runId) : folderInPlace(input.outDir);
}
