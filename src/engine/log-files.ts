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

/** Lists `*.json` and `*.json.gz` files below `dir` (sorted), skipping digest and Insights folders. */
export async function listLogFiles(dir: string): Promise<LogFile[]> {
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
      } else if (entry.isFile() && /\.json(\.gz)?$/i.test(entry.name)) {
        out.push({ path, bytes: (await stat(path)).size });
      }
    }
  }
  await walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
