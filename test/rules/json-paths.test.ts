import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRINO_COMPAT_MACROS } from '../../src/engine/trino-compat.js';
import { PROJECT_ROOT } from '../../src/shared/version.js';

/** One step of a JSON path: an object key, or an array index. */
type Step = { key: string } | { index: number };

/**
 * Splits a JSON path the way Trino's json_extract and json_extract_scalar read it (Athena engine v3): `$`,
 * then `.name` (letters, digits, `_` and `:`), `[digits or name]` or `["quoted"]` (only `\"` and `\\` may
 * be escaped). Anything else makes Trino fail the query with "Invalid JSON path"; this throws instead.
 */
function trinoJsonPath(path: string): Step[] {
  const fail = (at: number): never => {
    throw new Error(`Trino rejects JSON path ${path} at character ${at + 1}`);
  };
  const word = (c: string | undefined, colon: boolean) =>
    c !== undefined && (/[\p{L}\p{Nd}_]/u.test(c) || (colon && c === ':'));
  if (path[0] !== '$') fail(0);
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      const start = ++i;
      while (word(path[i], true)) i++;
      if (i === start) fail(i);
      steps.push({ key: path.slice(start, i) });
    } else if (path[i] === '[') {
      i++;
      if (path[i] === '"') {
        let key = '';
        i++;
        while (i < path.length && path[i] !== '"') {
          if (path[i] === '\\') {
            i++;
            if (path[i] !== '"' && path[i] !== '\\') fail(i);
          }
          key += path[i];
          i++;
        }
        if (path[i] !== '"') fail(i);
        i++;
        steps.push({ key });
      } else {
        const start = i;
        while (word(path[i], false)) i++;
        if (i === start) fail(i);
        const token = path.slice(start, i);
        steps.push(/^[0-9]+$/.test(token) ? { index: Number(token) } : { key: token });
      }
      if (path[i] !== ']') fail(i);
      i++;
    } else {
      fail(i);
    }
  }
  return steps;
}

/** A document in which `steps` lead to `value`. */
function documentFor(steps: Step[], value: string): unknown {
  return steps.reduceRight<unknown>((inner, step) => {
    if ('key' in step) return { [step.key]: inner };
    const array: unknown[] = Array.from({ length: step.index }, () => 'filler');
    array.push(inner);
    return array;
  }, value);
}

const dir = join(PROJECT_ROOT, 'queries');
const files = (await readdir(dir)).filter((f) => f.endsWith('.sql') && f !== 'cloudtrail-table.sql').sort();

/** Every JSON path literal ('$…') of a query, outside comments. */
async function pathsOf(file: string): Promise<string[]> {
  const sql = (await readFile(join(dir, file), 'utf8'))
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .join('\n');
  return [...sql.matchAll(/'(\$[^']*)'/g)].map((m) => m[1]!);
}

const allPaths = [...new Set((await Promise.all(files.map(pathsOf))).flat())].sort();

let instance: DuckDBInstance;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
});
afterAll(() => instance.closeSync());

describe('JSON paths in queries/', () => {
  it('the queries hold JSON paths to check', () => {
    expect(allPaths.length).toBeGreaterThan(50);
  });

  it.each(files)('%s uses only JSON paths Trino accepts', async (file) => {
    const rejected: string[] = [];
    for (const path of await pathsOf(file)) {
      try {
        trinoJsonPath(path);
      } catch (error) {
        rejected.push((error as Error).message);
      }
    }
    expect(rejected).toEqual([]);
  });

  it('every path leads DuckDB (through the macros) to the value Trino would find', async () => {
    const connection = await instance.connect();
    for (const macro of TRINO_COMPAT_MACROS) await connection.run(macro);
    const misread: string[] = [];
    for (const path of allPaths) {
      const doc = JSON.stringify(documentFor(trinoJsonPath(path), 'found'));
      const statement = await connection.prepare('SELECT json_extract_scalar($1, $2) AS value');
      statement.bindVarchar(1, doc);
      statement.bindVarchar(2, path);
      const value = (await statement.runAndReadAll()).getRowObjectsJson()[0]?.value;
      if (value !== 'found') misread.push(`${path}: ${String(value)}`);
    }
    connection.closeSync();
    expect(misread).toEqual([]);
  });

  it('the tokenizer rejects what Trino rejects and reads what it reads (so the checks above can fail)', () => {
    for (const bad of ['$.x-amz-acl', '$.a b', '$[*]', '$..a', '$.', 'a.b', '$["a\\n"]', '$["open', '$[0', '$a']) {
      expect(() => trinoJsonPath(bad), bad).toThrow(/Trino rejects/);
    }
    expect(trinoJsonPath('$.a.b_c:d[0]["x-amz-acl"][key]')).toEqual([
      { key: 'a' },
      { key: 'b_c:d' },
      { index: 0 },
      { key: 'x-amz-acl' },
      { key: 'key' },
    ]);
    expect(trinoJsonPath('$["say \\"hi\\""]')).toEqual([{ key: 'say "hi"' }]);
  });
});
