// The functions rule SQL may call, each with probes: a Trino expression and the value Trino (Athena engine
// v3) gives for it, as a SQL literal. test/engine/trino-compat.test.ts runs every probe on DuckDB with the
// compatibility macros, so a function whose DuckDB meaning differs from Trino's cannot stay on this list.
// Left out on purpose: concat (DuckDB's skips NULLs where Trino's returns NULL; rules use ||), trim
// (DuckDB's strips spaces only, Trino's all whitespace), format_number (not in DuckDB), and
// approx_distinct and arbitrary (their answers are not fixed, so the two engines may differ).

/** A Trino expression (or scalar subquery) and Trino's answer for it, as a SQL literal. */
export type Probe = [expression: string, trino: string];

const T = `from_iso8601_timestamp('2026-11-20T12:34:56Z')`;
const pairs = `(VALUES ('a', 1), ('b', 2), (NULL, 3)) AS t(x, y)`;

/** Function name → probes (at least one shows how it treats NULL or odd input where the engines could differ). */
export const PORTABLE_FUNCTIONS: Record<string, Probe[]> = {
  coalesce: [[`coalesce(NULL, 'a', 'b')`, `'a'`]],
  nullif: [
    [`nullif('a', 'a')`, 'NULL'],
    [`nullif('a', 'b')`, `'a'`],
  ],
  json_extract_scalar: [
    [`json_extract_scalar('{"a":{"b":"x"}}', '$.a.b')`, `'x'`],
    [`json_extract_scalar('{"a":{"b":"x"}}', '$.a')`, 'NULL'],
    [`json_extract_scalar('{"a":[1]}', '$.a')`, 'NULL'],
    [`json_extract_scalar('{"a":null}', '$.a')`, 'NULL'],
    [`json_extract_scalar('{"a":true,"n":22}', '$.n')`, `'22'`],
    [`json_extract_scalar('{"a":true}', '$.a')`, `'true'`],
    [`json_extract_scalar('{"a":"x\\"y"}', '$.a')`, `'x"y'`],
    [`json_extract_scalar('{"a":[{"b":"c"}]}', '$.a[0].b')`, `'c'`],
    [`json_extract_scalar('{"a:b":"c"}', '$["a:b"]')`, `'c'`],
    [`json_extract_scalar('not json', '$.a')`, 'NULL'],
    [`json_extract_scalar('{"a": "trunc', '$.a')`, 'NULL'],
    [`json_extract_scalar('', '$.a')`, 'NULL'],
    [`json_extract_scalar(NULL, '$.a')`, 'NULL'],
  ],
  json_extract: [
    [`json_format(json_extract('{"a": {"b": [1,  2]}}', '$.a'))`, `'{"b":[1,2]}'`],
    [`json_extract('{"a":1}', '$.b')`, 'NULL'],
    [`json_extract('not json', '$.a')`, 'NULL'],
    [`json_extract_scalar(json_extract('{"a":{"b":"x"}}', '$.a'), '$.b')`, `'x'`],
  ],
  json_format: [[`json_format(json_extract('{"a": [1, "x"]}', '$.a'))`, `'[1,"x"]'`]],
  json_parse: [[`json_format(json_parse('{"a": 1,  "b": [1, 2]}'))`, `'{"a":1,"b":[1,2]}'`]],
  json_array_contains: [
    [`json_array_contains('["all", "x"]', 'all')`, 'true'],
    [`json_array_contains('[1, 5]', '5')`, 'false'],
    [`json_array_contains('[]', 'all')`, 'false'],
    [`json_array_contains('{"a":"all"}', 'all')`, 'NULL'],
    [`json_array_contains('not json', 'all')`, 'NULL'],
    [`json_array_contains('["a"]', CAST(NULL AS varchar))`, 'NULL'],
  ],
  json_array_length: [
    [`json_array_length('[1, "a", null]')`, '3'],
    [`json_array_length('{"a":1}')`, 'NULL'],
    [`json_array_length('not json')`, 'NULL'],
  ],
  regexp_like: [
    [`regexp_like('abc', 'b')`, 'true'],
    [`regexp_like('abc', '^b')`, 'false'],
    [`regexp_like(NULL, 'b')`, 'NULL'],
  ],
  from_iso8601_timestamp: [[`to_unixtime(from_iso8601_timestamp('2026-11-20T12:00:00Z'))`, '1795176000']],
  to_iso8601: [[`to_iso8601(${T})`, `'2026-11-20T12:34:56.000Z'`]],
  to_unixtime: [[`to_unixtime(from_iso8601_timestamp('2026-11-20T12:00:00.5Z'))`, '1795176000.5']],
  date_add: [
    [`to_iso8601(date_add('hour', 2, ${T}))`, `'2026-11-20T14:34:56.000Z'`],
    [`to_iso8601(date_add('day', -1, ${T}))`, `'2026-11-19T12:34:56.000Z'`],
  ],
  date_trunc: [[`to_iso8601(date_trunc('day', ${T}))`, `'2026-11-20T00:00:00.000Z'`]],
  cardinality: [[`cardinality(ARRAY[1, NULL, 3])`, '3']],
  element_at: [
    [`element_at(ARRAY['a', 'b'], -1)`, `'b'`],
    [`element_at(ARRAY['a'], 5)`, 'NULL'],
  ],
  array_join: [[`array_join(ARRAY['a', NULL, 'b'], ', ')`, `'a, b'`]],
  array_agg: [[`(SELECT array_agg(x ORDER BY y) FROM ${pairs})`, `ARRAY['a', 'b', NULL]`]],
  max_by: [
    [`(SELECT max_by(x, y) FROM ${pairs})`, 'NULL'],
    [`(SELECT max_by(y, x) FROM ${pairs})`, '2'],
  ],
  min_by: [
    [`(SELECT min_by(x, y) FROM ${pairs})`, `'a'`],
    [`(SELECT min_by(x, -y) FROM ${pairs})`, 'NULL'],
  ],
  count: [
    [`(SELECT count(x) FROM ${pairs})`, '2'],
    [`(SELECT count(*) FROM ${pairs})`, '3'],
  ],
  count_if: [[`(SELECT count_if(y > 1) FROM ${pairs})`, '2']],
  sum: [[`(SELECT sum(y) FROM ${pairs})`, '6']],
  min: [[`(SELECT min(x) FROM ${pairs})`, `'a'`]],
  max: [[`(SELECT max(x) FROM ${pairs})`, `'b'`]],
  avg: [[`(SELECT avg(y) FROM ${pairs})`, '2.0']],
  contains: [
    [`contains(ARRAY['a', 'b'], 'a')`, 'true'],
    [`contains(ARRAY['a'], 'c')`, 'false'],
    [`contains(ARRAY['a', NULL], 'c')`, 'NULL'],
    [`contains(split('us-east-1,eu-west-1', ','), 'eu-west-1')`, 'true'],
  ],
  split: [
    [`split('a,,b', ',')`, `ARRAY['a', '', 'b']`],
    [`split('', ',')`, `ARRAY['']`],
  ],
  lower: [[`lower('AbC')`, `'abc'`]],
  upper: [[`upper('AbC')`, `'ABC'`]],
  length: [[`length('e' || chr(769))`, '2']],
  substr: [
    [`substr('abc', 2)`, `'bc'`],
    [`substr('abc', 2, 1)`, `'b'`],
    [`substr('abc', -2, 1)`, `'b'`],
    [`substr('abc', 0)`, `''`],
    [`substr('abc', -5)`, `''`],
    [`substr('abc', 5)`, `''`],
  ],
  strpos: [
    [`strpos('abc', 'c')`, '3'],
    [`strpos('abc', 'z')`, '0'],
  ],
  starts_with: [[`starts_with('abc', 'ab')`, 'true']],
  least: [
    [`least(1, 3)`, '1'],
    [`least(1, NULL)`, 'NULL'],
  ],
  greatest: [
    [`greatest(1, 3)`, '3'],
    [`greatest(3, NULL)`, 'NULL'],
    [`greatest(1, 5, 3)`, '5'],
  ],
  round: [
    [`round(2.5)`, '3'],
    [`round(-2.5)`, '-3'],
    [`round(1.234, 2)`, '1.23'],
  ],
  floor: [[`floor(1.5)`, '1']],
  ceil: [[`ceil(1.2)`, '2']],
  slice: [[`slice(ARRAY[1, 2, 3, 4], 2, 2)`, 'ARRAY[2, 3]']],
  url_extract_host: [
    [`url_extract_host('https://example.com:8443/path?q=1')`, `'example.com'`],
    [`url_extract_host('not a url')`, 'NULL'],
  ],
  replace: [
    [`replace('s3.amazonaws.com', '.amazonaws.com', '')`, `'s3'`],
    [`replace('abc', '', 'x')`, `'xaxbxcx'`],
  ],
  row_number: [[`(SELECT max(n) FROM (SELECT row_number() OVER (ORDER BY y) AS n FROM ${pairs}) AS r)`, '3']],
  rank: [[`(SELECT max(n) FROM (SELECT rank() OVER (ORDER BY x) AS n FROM ${pairs}) AS r)`, '3']],
  lag: [[`(SELECT max(p) FROM (SELECT lag(y) OVER (ORDER BY y) AS p FROM ${pairs}) AS r)`, '2']],
  lead: [[`(SELECT min(p) FROM (SELECT lead(y) OVER (ORDER BY y) AS p FROM ${pairs}) AS r)`, '2']],
  abs: [[`abs(-2)`, '2']],
  array_distinct: [[`array_distinct(ARRAY['b', 'a', NULL, 'b', NULL])`, `ARRAY['b', 'a', NULL]`]],
  array_sort: [[`array_sort(ARRAY['b', NULL, 'a'])`, `ARRAY['a', 'b', NULL]`]],
};
