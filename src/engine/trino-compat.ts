// Rule SQL is written once, in Athena's (Trino) dialect. DuckDB lacks a few Trino functions or gives them
// another meaning; these macros supply them so the same text runs on both engines. This is the only
// translation layer: no rule SQL is rewritten.
//
// A macro may carry the name of a DuckDB built-in: it then shadows the built-in for every query on the
// connection, and reaches the original as system.main.<name>. Where Trino answers NULL (text that is not
// JSON, a NULL argument), the macro answers NULL too: DuckDB raising an error instead would fail the whole
// rule for one odd record, and ignoring a NULL would find what Athena does not.

/** DuckDB macros with Trino's names and semantics. */
export const TRINO_COMPAT_MACROS: string[] = [
  // Trino's JSONPath allows $["a:b"]; DuckDB spells it $."a:b".
  `CREATE OR REPLACE MACRO trino_json_path(p) AS regexp_replace(p, '\\["([^"]*)"\\]', '."\\1"', 'g')`,
  // Trino's JSON functions answer NULL for text that is not JSON (a log pipeline's truncated or
  // non-JSON requestParameters); DuckDB's raise an error. json_valid guards them (measured on 1M values:
  // json_valid plus json_value costs what the unguarded json_extract plus json_extract_string did, while
  // try() falls back to row-by-row evaluation and took 7x as long once some rows fail).
  `CREATE OR REPLACE MACRO json_extract(j, p) AS
     CASE WHEN json_valid(j) THEN system.main.json_extract(j, trino_json_path(p)) END`,
  // Trino returns NULL for objects and arrays; json_value does the same, and ->> unquotes a string.
  `CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS
     CASE WHEN json_valid(j) THEN json_value(j, trino_json_path(p)) ->> '$' END`,
  `CREATE OR REPLACE MACRO json_format(j) AS CAST(j AS VARCHAR)`,
  // Trino's json_parse raises an error on text that is not JSON (so does the cast) and keeps no whitespace.
  `CREATE OR REPLACE MACRO json_parse(s) AS json(CAST(s AS JSON))`,
  // Trino: NULL unless the text is a JSON array; a varchar value matches string elements only.
  `CREATE OR REPLACE MACRO json_array_contains(j, v) AS
     CASE WHEN json_valid(j) AND json_type(j) = 'ARRAY' THEN list_contains(
       list_transform(list_filter(system.main.json_extract(j, '$[*]'), lambda x: json_type(x) = 'VARCHAR'),
                      lambda x: x ->> '$'),
       CAST(v AS VARCHAR)) END`,
  // Trino: NULL unless the text is a JSON array (DuckDB counts an object as 0).
  `CREATE OR REPLACE MACRO json_array_length(j) AS
     CASE WHEN json_valid(j) AND json_type(j) = 'ARRAY' THEN system.main.json_array_length(j) END`,
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
  // Trino: NULL for text that is not a URL with a host (DuckDB's regexp_extract gives '' on no match).
  `CREATE OR REPLACE MACRO url_extract_host(u) AS
     nullif(regexp_extract(u, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)', 1), '')`,
  // Trino: NULL when any argument is NULL; DuckDB's skip NULLs.
  `CREATE OR REPLACE MACRO greatest(a, b) AS
     CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE system.main.greatest(a, b) END,
   (a, b, c) AS CASE WHEN a IS NULL OR b IS NULL OR c IS NULL THEN NULL ELSE system.main.greatest(a, b, c) END`,
  `CREATE OR REPLACE MACRO least(a, b) AS
     CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE system.main.least(a, b) END,
   (a, b, c) AS CASE WHEN a IS NULL OR b IS NULL OR c IS NULL THEN NULL ELSE system.main.least(a, b, c) END`,
  // Trino: contains(array, x) is NULL, not false, when x is absent but the array holds a NULL (or x is NULL).
  `CREATE OR REPLACE MACRO contains(a, v) AS
     CASE WHEN list_contains(a, v) THEN true
          WHEN v IS NULL OR list_contains(list_transform(a, lambda x: x IS NULL), true) THEN NULL
          WHEN a IS NOT NULL THEN false END`,
  // Trino's max_by/min_by keep a NULL x of the winning row; DuckDB's skip rows whose x is NULL.
  `CREATE OR REPLACE MACRO max_by(x, y) AS arg_max_null(x, y)`,
  `CREATE OR REPLACE MACRO min_by(x, y) AS arg_min_null(x, y)`,
  // Trino keeps the first of each value, in order, NULL included; DuckDB's drops NULL and reorders.
  `CREATE OR REPLACE MACRO array_distinct(a) AS list_filter(a, lambda x, i: list_position(a, x) = i)`,
  // Trino: a start of 0, or before the beginning, gives ''; DuckDB clamps it to the string.
  `CREATE OR REPLACE MACRO substr(s, st) AS
     CASE WHEN st = 0 OR -st > length(s) THEN '' ELSE system.main.substr(s, st) END,
   (s, st, n) AS CASE WHEN st = 0 OR -st > length(s) OR n <= 0 THEN '' ELSE system.main.substr(s, st, n) END`,
  // Trino puts the replacement around every character when the searched text is empty; DuckDB leaves it.
  `CREATE OR REPLACE MACRO replace(s, f, r) AS
     CASE WHEN f = '' THEN r || array_to_string(string_split(s, ''), r) || CASE WHEN s = '' THEN '' ELSE r END
          ELSE system.main.replace(s, f, r) END`,
];
