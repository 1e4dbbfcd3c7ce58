// Rule SQL is written once, in Athena's (Trino) dialect. DuckDB lacks a few Trino functions or gives them
// another meaning; these macros supply them so the same text runs on both engines. This is the only
// translation layer: no rule SQL is rewritten.

/** DuckDB macros with Trino's names and semantics. */
export const TRINO_COMPAT_MACROS: string[] = [
  // Trino's JSONPath allows $["a:b"]; DuckDB spells it $."a:b".
  `CREATE OR REPLACE MACRO trino_json_path(p) AS regexp_replace(p, '\\["([^"]*)"\\]', '."\\1"', 'g')`,
  // Trino returns NULL for objects and arrays; DuckDB would return their JSON text.
  `CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS
     CASE WHEN json_type(json_extract(j, trino_json_path(p))) IN ('OBJECT', 'ARRAY') THEN NULL
          ELSE json_extract_string(j, trino_json_path(p)) END`,
  `CREATE OR REPLACE MACRO json_format(j) AS CAST(j AS VARCHAR)`,
  `CREATE OR REPLACE MACRO json_parse(s) AS CAST(s AS JSON)`,
  // Trino: json_array_contains(json, value) over a JSON array text.
  `CREATE OR REPLACE MACRO json_array_contains(j, v) AS
     coalesce(list_contains(CAST(json_extract(j, '$') AS VARCHAR[]), CAST(v AS VARCHAR)), false)`,
  `CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)`,
  `CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)`,
  `CREATE OR REPLACE MACRO to_iso8601(t) AS strftime(CAST(t AS TIMESTAMPTZ), '%Y-%m-%dT%H:%M:%S.%gZ')`,
  // Trino: date_add(unit, value, timestamp).
  `CREATE OR REPLACE MACRO date_add(u, n, t) AS t + to_seconds(
     CAST(n AS DOUBLE) * CASE lower(u) WHEN 'second' THEN 1 WHEN 'minute' THEN 60 WHEN 'hour' THEN 3600
                                        WHEN 'day' THEN 86400 WHEN 'week' THEN 604800 END)`,
  `CREATE OR REPLACE MACRO cardinality(a) AS len(a)`,
  `CREATE OR REPLACE MACRO element_at(a, i) AS CASE WHEN i > 0 THEN list_extract(a, i) ELSE list_extract(a, len(a) + i + 1) END`,
  `CREATE OR REPLACE MACRO array_join(a, sep) AS array_to_string(a, sep)`,
  `CREATE OR REPLACE MACRO slice(a, s, n) AS list_slice(a, s, s + n - 1)`,
  // Trino's date_diff truncates elapsed time; DuckDB's counts boundaries crossed, so rules measure
  // durations with to_unixtime differences, which agree on both engines.
  `CREATE OR REPLACE MACRO to_unixtime(t) AS epoch(t)`,
  `CREATE OR REPLACE MACRO approx_distinct(x) AS approx_count_distinct(x)`,
  `CREATE OR REPLACE MACRO url_extract_host(u) AS regexp_extract(u, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)', 1)`,
];
