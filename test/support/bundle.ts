import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Checks that every file the manifest lists is there with its hash, and that findings.json is listed. */
export async function expectWholeBundle(out: string): Promise<{ files: string[] }> {
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as {
    files: { file: string; sha256: string }[];
  };
  for (const entry of manifest.files) {
    const hash = createHash('sha256')
      .update(await readFile(join(out, entry.file)))
      .digest('hex');
    expect(hash, entry.file).toBe(entry.sha256);
  }
  expect(manifest.files.map((f) => f.file)).toContain('findings.json');
  return { files: manifest.files.map((f) => f.file) };
}
