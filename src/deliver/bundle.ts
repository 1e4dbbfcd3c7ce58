// The bundle's manifest: the SHA-256 of every file the run wrote, and the problems met after findings.json.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { RunErrorEntry } from '../shared/errors.js';
import { sha256 } from '../shared/hash.js';

/** Writes manifest.json: the SHA-256 of every file of the evidence bundle, and problems met after findings.json was written. */
export async function writeManifest(
  outDir: string,
  files: readonly string[],
  notes: readonly RunErrorEntry[] = [],
): Promise<string> {
  const entries = [];
  for (const file of [...new Set(files)].sort()) {
    if (basename(file) === 'manifest.json') continue;
    entries.push({ file: relative(outDir, file), sha256: sha256(await readFile(file)) });
  }
  const path = join(outDir, 'manifest.json');
  await writeFile(
    path,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), files: entries, errors: notes }, null, 2)}\n`,
  );
  return path;
}
