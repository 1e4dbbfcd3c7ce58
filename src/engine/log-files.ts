import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../shared/errors.js';

/** A CloudTrail log file found on disk. */
export interface LogFile {
  path: string;
  bytes: number;
}

// CloudTrail writes digest files (hashes for log file validation) and Insights events beside the logs;
// neither holds management events.
const SKIPPED_DIRS = new Set(['CloudTrail-Digest', 'CloudTrail-Insight', 'node_modules', '.git']);

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
 * Lists `*.json` and `*.json.gz` files below `dir` (sorted), skipping digest and Insights folders, and,
 * when a window is given, files whose S3 key puts them days away from it (a synced bucket keeps history).
 */
export async function listLogFiles(
  dir: string,
  window?: { since: string | null; until: string | null },
): Promise<LogFile[]> {
  const root = resolve(dir);
  let info;
  try {
    info = await stat(root);
  } catch (error) {
    throw new InputError(`logs folder ${dir} does not exist or cannot be read`, { cause: error });
  }
  if (!info.isDirectory()) throw new InputError(`logs path ${dir} is not a folder`);
  const out: LogFile[] = [];
  async function walk(current: string): Promise<void> {
    const entries = await readdir(current, { withFileTypes: true });
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(path);
      } else if (entry.isFile() && /\.json(\.gz)?$/i.test(entry.name) && mayHoldWindow(path, window)) {
        out.push({ path, bytes: (await stat(path)).size });
      }
    }
  }
  await walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
