import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { FindingsFile, RuleRun } from '../model.js';
import { findingsCsv, findingsJsonLines } from '../report/finding-list.js';
import { toOcsfFindings, type OcsfRule } from '../report/ocsf.js';
import type { RunErrorEntry } from '../shared/errors.js';

/** SHA-256 of bytes, hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes findings.json and returns its path and SHA-256 (quoted on the evidence cover). */
export async function writeFindingsJson(
  outDir: string,
  doc: FindingsFile,
): Promise<{ path: string; sha256: string }> {
  await mkdir(outDir, { recursive: true });
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  const path = join(outDir, 'findings.json');
  await writeFile(path, text);
  return { path, sha256: sha256(text) };
}

/**
 * Writes the run's findings in the standard shapes beside findings.json: findings.ocsf.json (OCSF Detection
 * Findings, with the coverage problems), findings.csv and findings.jsonl (the full finding list).
 */
export async function writeFindingFormats(
  outDir: string,
  doc: FindingsFile,
  rules: readonly OcsfRule[],
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const outputs: [string, string][] = [
    ['findings.ocsf.json', `${JSON.stringify(toOcsfFindings(doc, rules), null, 2)}\n`],
    ['findings.csv', findingsCsv(doc.findings)],
    ['findings.jsonl', findingsJsonLines(doc.findings)],
  ];
  const paths: string[] = [];
  for (const [name, text] of outputs) {
    const path = join(outDir, name);
    await writeFile(path, text);
    paths.push(path);
  }
  return paths;
}

/** The SHA-256 of findings.csv and findings.jsonl as written in `outDir` (the evidence prints them). */
export async function findingListHashes(outDir: string): Promise<{ csv: string; jsonl: string }> {
  return {
    csv: sha256(await readFile(join(outDir, 'findings.csv'))),
    jsonl: sha256(await readFile(join(outDir, 'findings.jsonl'))),
  };
}

/** Writes the exact SQL each rule ran, with its bound parameters, under <out>/queries/. */
export async function writeQueriesRun(outDir: string, runs: readonly RuleRun[]): Promise<string[]> {
  const dir = join(outDir, 'queries');
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const run of runs) {
    const header = [
      `-- rule: ${run.ruleId} (${run.status})`,
      `-- parameters, in order: ${JSON.stringify(run.parameters)}`,
      ...(run.queryId ? [`-- query id: ${run.queryId}`] : []),
    ];
    const path = join(dir, `${run.ruleId}.sql`);
    // Rule ids are kebab-case (validated), so they are safe file names.
    await writeFile(path, `${header.join('\n')}\n${run.sql}`);
    files.push(path);
  }
  return files;
}

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
