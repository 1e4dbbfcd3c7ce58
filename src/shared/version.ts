import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder at or above `from` that holds a package.json (trailwatch's own, or the package's). */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/**
 * The repository (or installed package) root, where rules/, queries/ and templates/ live: found from this
 * file, so it holds from src/ under vitest, from dist/shared/ when built, and from the bench's build of src.
 */
export const PROJECT_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));

/** trailwatch's version, from package.json. */
export const VERSION: string = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
