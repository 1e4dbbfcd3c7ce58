import type { Dirent, Stats } from 'node:fs';
import { readdir, readlink, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BUNDLE_MARKER, isPartialBundleName } from '../shared/bundle-names.js';
import { errorMessage, InputError, type ErrorCode, type RunErrorEntry } from '../shared/errors.js';

/** A CloudTrail log file found on disk. */
export interface LogFile {
  path: string;
  bytes: number;
}

/** What the walk of a logs folder found: the files to read, and every entry it could not read. */
export interface LogFileSearch {
  files: LogFile[];
  /** Folders, links and files below the logs folder that were not read (or read once for two names). */
  errors: RunErrorEntry[];
}

/** Where to look for log files. */
export interface LogFileSearchOptions {
  /** Files whose S3 key puts them days away from this window are left out. */
  window?: { since: string | null; until: string | null };
  /** Folders never walked (the run's own output folder when it sits inside the logs folder). */
  exclude?: readonly string[];
}

// CloudTrail writes digest files (hashes for log file validation) and Insights events beside the logs;
// neither holds management events.
const SKIPPED_DIRS = new Set(['CloudTrail-Digest', 'CloudTrail-Insight', 'node_modules', '.git']);

const LOG_FILE_NAME = /\.json(\.gz)?$/i;

const DAY_MS = 86_400_000;
// The delivery day in the S3 key, for both the account and the organization trail layouts.
const PATH_DAY = /\/CloudTrail\/[a-z0-9-]+\/(\d{4})\/(\d{2})\/(\d{2})\//;

/**
 * Whether a file can hold events of the window, judged by the day in its S3 key: CloudTrail delivers a
 * file within minutes, but a day either side keeps late and early deliveries. Files outside the S3 layout
 * are always read.
 */
export function mayHoldWindow(
  path: string,
  window?: { since: string | null; until: string | null },
): boolean {
  const m = PATH_DAY.exec(path.replace(/\\/g, '/'));
  if (!m || !window) return true;
  const day = `${m[1]}-${m[2]}-${m[3]}`;
  const { first, last } = deliveryDays(window);
  return (first === null || day >= first) && (last === null || day <= last);
}

/**
 * The delivery days (YYYY-MM-DD, UTC) whose keys can hold events of the window: the window's own days plus
 * one on each side. Both engines read exactly these days. A null bound is open.
 */
export function deliveryDays(window: { since: string | null; until: string | null }): {
  first: string | null;
  last: string | null;
} {
  const shift = (iso: string, days: number) =>
    new Date(Date.parse(iso.slice(0, 10)) + days * DAY_MS).toISOString().slice(0, 10);
  return {
    first: window.since ? shift(window.since, -1) : null,
    last: window.until ? shift(window.until, 1) : null,
  };
}

/**
 * A file name as DuckDB's readers take it literally: they expand `*`, `?` and `[` in every listed path as
 * glob syntax (a file `x?y.json` would also read `xzy.json`; `glob[a].json` would read `globa.json`
 * instead). A bracket class holding the one character matches exactly that character.
 */
export function literalPath(path: string): string {
  return path.replace(/[*?[]/g, (c) => `[${c}]`);
}

/** The identity of a file or folder whatever name reaches it (through links or hard links). */
function identity(info: Stats): string {
  return `${info.dev}:${info.ino}`;
}

function notRead(id: string, code: ErrorCode, message: string, warning = false): RunErrorEntry {
  return { scope: 'file', id, code, message, ...(warning ? { severity: 'warning' as const } : {}) };
}

/**
 * Finds the `*.json` and `*.json.gz` files below `dir` (sorted). Symbolic links are followed, to files and
 * to folders (a synced bucket spread over disks); a folder reached a second time (a link loop, or two names
 * for one folder) and a file reached under a second name are read once. Digest and Insights folders and
 * `exclude` are skipped, and, when a window is given, files whose S3 key puts them days away from it (a
 * synced bucket keeps history). Whatever cannot be read — a folder that cannot be listed, a dangling link,
 * a special file — is named in `errors` and the rest is still found.
 */
export async function findLogFiles(dir: string, options: LogFileSearchOptions = {}): Promise<LogFileSearch> {
  const root = resolve(dir);
  let rootInfo: Stats;
  try {
    rootInfo = await stat(root);
  } catch (error) {
    throw new InputError(`logs folder ${dir} does not exist or cannot be read`, { cause: error });
  }
  if (!rootInfo.isDirectory()) throw new InputError(`logs path ${dir} is not a folder`);
  const excluded = new Set<string>();
  for (const path of options.exclude ?? []) {
    // An output folder that does not exist yet holds nothing to skip.
    const info = await stat(resolve(path)).catch(() => null);
    if (info?.isDirectory()) excluded.add(identity(info));
  }
  const found: (LogFile & { key: string })[] = [];
  const errors: RunErrorEntry[] = [];
  // Folders already walked, by identity, with the name they were walked under.
  const walked = new Map<string, string>();

  async function walk(current: string, info: Stats, topLevel: boolean): Promise<void> {
    walked.set(identity(info), current);
    let entries: Dirent[];
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch (error) {
      if (topLevel) {
        throw new InputError(`logs folder ${dir} cannot be read`, { cause: error });
      }
      errors.push(
        notRead(
          current,
          'folder-unreadable',
          `folder could not be listed; its files were not read (${errorMessage(error)})`,
        ),
      );
      return;
    }
    // trailwatch's own evidence (a finished bundle, or one being built) is tool output, never logs.
    if (!topLevel && entries.some((e) => e.name === BUNDLE_MARKER)) return;
    // Sorted, so that of two names for one folder or file the same one is read on every run.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) await visit(join(current, entry.name), entry);
  }

  async function visit(path: string, entry: Dirent): Promise<void> {
    if (entry.isDirectory() && (SKIPPED_DIRS.has(entry.name) || isPartialBundleName(entry.name))) return;
    const isLink = entry.isSymbolicLink();
    const named = LOG_FILE_NAME.test(entry.name);
    // Plain files and folders need no stat to be recognised; links and special files do.
    if (!isLink && !entry.isDirectory() && !entry.isFile()) {
      if (named)
        errors.push(
          notRead(path, 'file-not-regular', 'not a regular file (a pipe, socket or device); not read'),
        );
      return;
    }
    if (!isLink && entry.isFile() && !named) return;
    let info: Stats;
    try {
      info = await stat(path);
    } catch (error) {
      if (isLink) {
        const target = await readlink(path).catch(() => '?');
        errors.push(
          notRead(
            path,
            'link-dangling',
            `symbolic link to ${target}, which cannot be reached; not read (${errorMessage(error)})`,
          ),
        );
      } else if (named) {
        errors.push(notRead(path, 'file-unreadable', errorMessage(error)));
      }
      return;
    }
    if (info.isDirectory()) {
      if (SKIPPED_DIRS.has(entry.name) || isPartialBundleName(entry.name) || excluded.has(identity(info)))
        return;
      const before = walked.get(identity(info));
      if (before !== undefined) {
        errors.push(
          notRead(
            path,
            'folder-already-read',
            `the same folder as ${before} (a link loop or a second name); read once`,
            true,
          ),
        );
        return;
      }
      await walk(path, info, false);
    } else if (info.isFile()) {
      if (named && mayHoldWindow(path, options.window))
        found.push({ path, bytes: info.size, key: identity(info) });
    } else if (named) {
      errors.push(
        notRead(
          path,
          'file-not-regular',
          'links to something that is not a regular file (a pipe, socket or device); not read',
        ),
      );
    }
  }

  await walk(root, rootInfo, true);
  found.sort((a, b) => a.path.localeCompare(b.path));
  const files: LogFile[] = [];
  const firstName = new Map<string, string>();
  for (const file of found) {
    const first = firstName.get(file.key);
    if (first !== undefined) {
      errors.push(
        notRead(
          file.path,
          'file-already-read',
          `the same file as ${first} (a link or hard link); read once`,
          true,
        ),
      );
      continue;
    }
    firstName.set(file.key, file.path);
    files.push({ path: file.path, bytes: file.bytes });
  }
  return { files, errors };
}

/** The log files below `dir` (see findLogFiles), for tools that need only the list. */
export async function listLogFiles(
  dir: string,
  window?: { since: string | null; until: string | null },
): Promise<LogFile[]> {
  return (await findLogFiles(dir, window ? { window } : {})).files;
}
