import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRINO_COMPAT_MACROS } from '../../src/engine/trino-compat.js';
import { PORTABLE_FUNCTIONS } from '../support/portable-functions.js';

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  for (const macro of TRINO_COMPAT_MACROS) await connection.run(macro);
});

afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

async function probe(expression: string, trino: string): Promise<{ agrees: unknown; duckdb: unknown }> {
  const result = await connection.runAndReadAll(
    `SELECT (${expression}) IS NOT DISTINCT FROM (${trino}) AS agrees, CAST((${expression}) AS VARCHAR) AS duckdb`,
  );
  const row = result.getRowObjectsJson()[0]!;
  return { agrees: row.agrees, duckdb: row.duckdb };
}

const probes = Object.entries(PORTABLE_FUNCTIONS).flatMap(([name, list]) =>
  list.map(([expression, trino]) => [name, expression, trino] as const),
);

describe('every portable function gives Trino’s answer on DuckDB', () => {
  const parser = new TrinoSQL();

  it.each(probes)('%s: %s is %s', async (_name, expression, trino) => {
    // The probe itself is Trino SQL, so the expected value is a claim about Trino, not about DuckDB.
    expect(parser.validate(`SELECT ${expression}, ${trino}`)).toEqual([]);
    const { agrees, duckdb } = await probe(expression, trino);
    expect(agrees, `DuckDB gave ${String(duckdb)}`).toBe(true);
  });

  it('the probe check can fail: built-in DuckDB functions differ where the macros step in', async () => {
    expect((await probe(`system.main.greatest(3, NULL)`, 'NULL')).agrees).toBe(false);
    expect((await probe(`system.main.json_array_length('{"a":1}')`, 'NULL')).agrees).toBe(false);
    await expect(probe(`system.main.json_extract('not json', '$.a')`, 'NULL')).rejects.toThrow(
      /Malformed JSON/,
    );
  });
});

describe('JSON functions over records whose text is not JSON', () => {
  it('answer NULL row by row instead of failing the query', async () => {
    const result = await connection.runAndReadAll(`
      SELECT json_extract_scalar(rp, '$.bucketName') AS bucket,
             json_array_contains(json_format(json_extract(rp, '$.valuesToAdd')), 'all') AS shared,
             json_array_length(json_extract(rp, '$.changes')) AS changes,
             greatest(json_array_length(json_extract(rp, '$.changes')), 1) AS at_least_one
      FROM (VALUES ('{"bucketName":"b1","valuesToAdd":["all"],"changes":[1,2]}'), ('not json'), (NULL),
                   ('{"bucketName":{"nested":true},"valuesToAdd":"all","changes":{}}')) AS t(rp)`);
    expect(result.getRowObjectsJson()).toEqual([
      { bucket: 'b1', shared: true, changes: '2', at_least_one: '2' },
      { bucket: null, shared: null, changes: null, at_least_one: null },
      { bucket: null, shared: null, changes: null, at_least_one: null },
      { bucket: null, shared: null, changes: null, at_least_one: null },
    ]);
  });
});
