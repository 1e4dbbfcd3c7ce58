// The history's file: read from where the previous run left it (the previous bundle in the output folder,
// before this run's bundle replaces it), written into this run's bundle with the previous days carried
// forward. A history that cannot be read is a warning, never a failed run: novelty is then `unknown`.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HISTORY_FILE, parseHistory, type History } from '../classify/history.js';
import { errorMessage, type RunErrorEntry } from '../shared/errors.js';

/** Larger than this, a history file is not read: 14 days of even a noisy organization is far smaller. */
export const HISTORY_MAX_BYTES = 64 * 1024 * 1024;

/** Where the previous history is read from: a folder (the output folder), or an S3 prefix. */
export interface HistorySource {
  /** Where, as the evidence names it (`out/history.json`, `s3://bucket/prefix/2026-11-19/history.json`). */
  where: string;
  /** The file's text, or null when there is none (the first run). */
  read(): Promise<string | null>;
}

/** The history.json of a folder (the previous bundle in --out). */
export function folderHistory(dir: string): HistorySource {
  const path = join(dir, HISTORY_FILE);
  return {
    where: path,
    async read() {
      const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
        throw error;
      });
      if (!info) return null;
      if (!info.isFile()) throw new Error('not a file');
      if (info.size > HISTORY_MAX_BYTES) throw new Error(`larger than ${HISTORY_MAX_BYTES} bytes`);
      return readFile(path, 'utf8');
    },
  };
}

/** The first of `sources` that holds a history (an error in one is an error: it is not skipped over). */
export function firstHistory(sources: readonly HistorySource[]): HistorySource {
  const combined: HistorySource = {
    where: sources.map((s) => s.where).join(', then '),
    async read() {
      for (const source of sources) {
        combined.where = source.where;
        const text = await source.read();
        combined.where = source.where;
        if (text !== null) return text;
      }
      combined.where = sources.map((s) => s.where).join(', then ');
      return null;
    },
  };
  return combined;
}

/** What reading the previous history gave. */
export interface LoadedHistory {
  history: History | null;
  /** Where it was found (null: nothing there, or unreadable). */
  source: string | null;
  /** Why it could not be used, as a warning for the run's errors. */
  problem?: RunErrorEntry;
}

/** Reads and checks the previous history; a missing one is the first run, an unreadable one a warning. */
export async function loadHistory(source: HistorySource | undefined): Promise<LoadedHistory> {
  if (!source) return { history: null, source: null };
  const problem = (message: string): LoadedHistory => ({
    history: null,
    source: null,
    problem: {
      scope: 'run',
      id: 'history',
      code: 'history-unreadable',
      message: `the previous history (${source.where}) could not be used, so nothing is marked new or recurring today: ${message}`,
      severity: 'warning',
    },
  });
  let text: string | null;
  try {
    text = await source.read();
  } catch (error) {
    return problem(errorMessage(error));
  }
  if (text === null) return { history: null, source: null };
  const parsed = parseHistory(text);
  if ('problem' in parsed) return problem(parsed.problem);
  return { history: parsed.history, source: source.where };
}
