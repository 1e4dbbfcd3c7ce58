import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../shared/errors.js';
import { configSchema, suppressionSchema, type Config, type Suppression } from './schema.js';

/** The file read when no --config is given, if it exists. */
export const DEFAULT_CONFIG_FILE = 'trailwatch.config.yaml';

/** How a found value is named in `expected X, found Y` messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return `${typeof value} ${String(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** A key path as messages show it: `rules.iam-change.enabled`, `approvedRegions[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/** The line (1-based) a key path was written on, when the input came from a file. */
export type LocatePath = (path: readonly PropertyKey[]) => number | undefined;

/**
 * Turns schema issues into `path: expected X, found Y` lines, one per problem; with `locate`, each ends with
 * the line it was written on (` (line 12)`).
 */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  locate?: LocatePath,
): string[] {
  if (locate) {
    return issues.flatMap((issue) => {
      const keys =
        issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      const lines = formatIssues([issue], input);
      return lines.map((line, i) => {
        const at = locate(keys[i] ?? issue.path);
        return at === undefined ? line : `${line} (line ${at})`;
      });
    });
  }
  return issues.flatMap((issue): string[] => {
    const found = valueAt(input, issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(
        (key) =>
          `${formatPath([...issue.path, key])}: expected no such key, found ${describe(valueAt(input, [...issue.path, key]))}`,
      );
    }
    const path = formatPath(issue.path);
    if (issue.code === 'invalid_type')
      return [`${path}: expected ${issue.expected}, found ${describe(found)}`];
    if (issue.code === 'invalid_value') {
      return [
        `${path}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, found ${describe(found)}`,
      ];
    }
    if (issue.code === 'invalid_format' && issue.format === 'regex')
      return [`${path}: expected ${issue.message}, found ${describe(found)}`];
    return [
      `${path}: expected ${issue.message.replace(/^Invalid input: expected /i, '')}, found ${describe(found)}`,
    ];
  });
}

/** Validates a parsed config object; throws ConfigError listing every problem (with its line, given `locate`). */
export function parseConfig(input: unknown, source = 'configuration', locate?: LocatePath): Config {
  const result = configSchema.safeParse(input ?? {});
  if (!result.success) {
    const problems = formatIssues(result.error.issues, input ?? {}, locate);
    throw new ConfigError(
      `${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      problems,
    );
  }
  return applyEnvironment(result.data);
}

/** Settings that differ between a laptop and CI may come from the environment. */
function applyEnvironment(config: Config): Config {
  const out = { ...config, engine: { ...config.engine } };
  if (process.env.TRAILWATCH_OUT) out.outDir = process.env.TRAILWATCH_OUT;
  const engine = process.env.TRAILWATCH_ENGINE;
  if (engine) {
    if (engine !== 'duckdb' && engine !== 'athena') {
      throw new ConfigError('TRAILWATCH_ENGINE is invalid', [
        `TRAILWATCH_ENGINE: expected "duckdb" or "athena", found ${describe(engine)}`,
      ]);
    }
    out.engine.type = engine;
  }
  return out;
}

/**
 * Loads the configuration: `file` when given (it must exist), else trailwatch.config.yaml when present,
 * else the defaults. YAML syntax errors and schema problems are all reported in one ConfigError.
 */
export async function loadConfig(file?: string): Promise<{ config: Config; file: string | null }> {
  const path = file ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : null);
  if (!path) return { config: parseConfig({}), file: null };
  const read = await readYaml(path, path);
  const config = parseConfig(read.value, path, read.locate);
  return { config: await withSuppressionsFile(config, dirname(path)), file: path };
}

/** Finds the line a key path was written on: the deepest node of the path the document has. */
function locator(doc: Document, lines: LineCounter): LocatePath {
  return (path) => {
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
}

async function readYaml(path: string, what: string): Promise<{ value: unknown; locate?: LocatePath }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read ${path}`,
      [`${what}: expected a readable file, found ${(error as NodeJS.ErrnoException).code ?? 'an error'}`],
      { cause: error },
    );
  }
  const parsed = parseYaml(text, path);
  if (!parsed.ok) throw new ConfigError(`${path} is not valid YAML`, parsed.problems);
  return { value: parsed.value, ...(parsed.locate ? { locate: parsed.locate } : {}) };
}

/**
 * Parses YAML text into plain data, or every problem that stops it: syntax errors, and aliases that expand
 * past the yaml library's limit (an "alias bomb": a few lines that would grow into billions of nodes, which
 * the library refuses with a ReferenceError rather than exhausting memory).
 */
export function parseYaml(
  text: string,
  source: string,
): { ok: true; value: unknown; locate?: LocatePath } | { ok: false; problems: string[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => `${source}: expected YAML, found ${e.message.split('\n')[0]}`),
    };
  }
  try {
    return { ok: true, value: doc.toJS(), locate: locator(doc, lines) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problems: [
        `${source}: expected YAML whose aliases expand to a modest size, found aliases that expand too far (${reason})`,
      ],
    };
  }
}

/**
 * Adds the suppressions of `suppressionsFile` (a YAML list, or a mapping with a `suppressions:` list; its
 * path relative to the config file) after the config's own, each entry validated like an inline one.
 * Every suppression is labelled with where it was written.
 */
export async function withSuppressionsFile(config: Config, baseDir: string): Promise<Config> {
  const inline: Suppression[] = config.suppressions.map((s, i) => ({ ...s, origin: `suppressions[${i}]` }));
  if (!config.suppressionsFile) return { ...config, suppressions: inline };
  const name = config.suppressionsFile;
  const read = await readYaml(resolve(baseDir, name), `suppressionsFile (${name})`);
  const raw = read.value;
  const nested = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'suppressions' in raw;
  const list = nested ? (raw as { suppressions: unknown }).suppressions : raw;
  const locate: LocatePath | undefined =
    read.locate && nested ? (path) => read.locate?.(['suppressions', ...path]) : read.locate;
  const result = suppressionSchema.array().safeParse(list ?? []);
  if (!result.success) {
    const problems = formatIssues(result.error.issues, list ?? [], locate).map(
      (p) => `${name}${p.startsWith('[') ? '' : ': '}${p}`,
    );
    throw new ConfigError(
      `${name} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      problems,
    );
  }
  const fromFile: Suppression[] = result.data.map((s, i) => ({ ...s, origin: `${name}[${i}]` }));
  return { ...config, suppressions: [...inline, ...fromFile] };
}
