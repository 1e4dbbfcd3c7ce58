// What staging makes of the events it read, before any rule runs: a usable eventTime or none, each eventID
// once, and a word about every file that held no events. The SQL here runs on the staged `cloudtrail_logs`
// table (DuckDB), through whatever connection the engine stages with.
import type { RunErrorEntry } from '../shared/errors.js';
import type { Row, TimeWindow } from './types.js';

/** Runs one SQL text with named parameters (`$name`) bound as VARCHAR (NULL for null). */
export type StagedSql = (sql: string, params?: Record<string, string | null>) => Promise<Row[]>;

// CloudTrail writes eventTime as YYYY-MM-DDTHH:MM:SSZ: the shape that compares correctly as text with the
// window's bounds and that every rule's time arithmetic parses. Checked by shape, then as a real date.
function isCloudTrailTime(expression: string): string {
  return `coalesce(${expression} LIKE '____-__-__T__:__:__Z' AND try_cast(${expression} AS TIMESTAMP) IS NOT NULL, false)`;
}

// Other ISO 8601 date-times with an explicit zone (fractions of a second, an offset) name an instant too:
// they are rewritten in CloudTrail's form, so that they compare and parse like the rest.
const ISO_8601 = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$'`;
const AS_CLOUDTRAIL_TIME = `CASE WHEN regexp_full_match(eventtime, ${ISO_8601})
  THEN strftime(timezone('UTC', try_cast(replace(eventtime, ',', '.') AS TIMESTAMPTZ)), '%Y-%m-%dT%H:%M:%SZ') END`;

/**
 * The staging read's filter on a record `r`: the window's events, and every event whose eventTime is not in
 * CloudTrail's form (missing, empty, another ISO 8601 form, not a time at all), which settleStagedEvents
 * then rewrites, places in the window or names. Binds `$since` and `$until`.
 */
export function stagingTimeFilter(record: string): string {
  const time = `${record}."eventTime"`;
  return `(NOT ${isCloudTrailTime(time)}
   OR (($since IS NULL OR ${time} >= $since) AND ($until IS NULL OR ${time} < $until)))`;
}

/** What settling the staged events changed. */
export interface SettledEvents {
  /** Records dropped because another record with the same eventID was staged first. */
  duplicates: number;
  /** Records without a usable eventTime (kept without a window, left out with one), named per file. */
  errors: RunErrorEntry[];
}

/**
 * Settles the staged table: eventTimes in other ISO 8601 forms are rewritten in CloudTrail's form (and
 * dropped when that puts them outside the window); records without a usable eventTime are named per file —
 * kept with an empty eventTime when there is no window (the rules that do not need the time still see
 * them), left out and named as not evaluated when there is one; and an event delivered more than once (the
 * same eventID) is kept once: the copy in the first file by path.
 */
export async function settleStagedEvents(sql: StagedSql, window: TimeWindow): Promise<SettledEvents> {
  const errors: RunErrorEntry[] = [];
  // One pass over eventtime finds the few records not in CloudTrail's form; the rest is done on those.
  await sql(`CREATE OR REPLACE TEMP TABLE odd_times AS
SELECT rowid AS id, "$path" AS path, ${AS_CLOUDTRAIL_TIME} AS fixed
FROM cloudtrail_logs WHERE NOT ${isCloudTrailTime('eventtime')}`);
  const odd = Number((await sql('SELECT count(*) AS n FROM odd_times'))[0]?.n ?? 0);
  if (odd > 0) {
    const windowed = window.since !== null || window.until !== null;
    await sql(
      `UPDATE cloudtrail_logs SET eventtime = odd_times.fixed FROM odd_times
       WHERE cloudtrail_logs.rowid = odd_times.id`,
    );
    if (windowed) {
      await sql(
        `DELETE FROM cloudtrail_logs WHERE rowid IN (
           SELECT id FROM odd_times
           WHERE fixed IS NULL OR ($since IS NOT NULL AND fixed < $since) OR ($until IS NOT NULL AND fixed >= $until))`,
        { since: window.since, until: window.until },
      );
    }
    const timeless = await sql(
      'SELECT path, count(*) AS n FROM odd_times WHERE fixed IS NULL GROUP BY path ORDER BY path',
    );
    for (const row of timeless) {
      const n = String(row.n);
      errors.push(
        windowed
          ? {
              scope: 'file',
              id: String(row.path),
              code: 'records-without-time',
              message: `${n} record(s) have no usable eventTime (missing, empty or not ISO 8601): they cannot be placed in the window and were not evaluated`,
            }
          : {
              scope: 'file',
              id: String(row.path),
              code: 'records-without-time',
              severity: 'warning',
              message: `${n} record(s) have no usable eventTime (missing, empty or not ISO 8601): evaluated by the rules that do not need the time, left out of those that do (log-delivery-gap)`,
            },
      );
    }
  }
  await sql('DROP TABLE odd_times');
  // Counting distinct hashes is the cheap test (most days have no duplicate); the exact work runs only on a
  // day that has some.
  const probe = await sql(
    'SELECT count(*) - count(DISTINCT hash(eventid)) AS extra FROM cloudtrail_logs WHERE eventid IS NOT NULL',
  );
  let duplicates = 0;
  if (Number(probe[0]?.extra ?? 0) > 0) {
    const removed = await sql(`DELETE FROM cloudtrail_logs WHERE rowid IN (
  SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY eventid ORDER BY "$path", rowid) AS copy
    FROM cloudtrail_logs
    WHERE eventid IN (SELECT eventid FROM cloudtrail_logs WHERE eventid IS NOT NULL GROUP BY eventid HAVING count(*) > 1)
  ) WHERE copy > 1)`);
    duplicates = Number(removed[0]?.['Count'] ?? 0);
  }
  return { duplicates, errors };
}

/**
 * Looks inside a file that gave no records: `objects` counted, those that are `{}`, those holding a
 * `Records` list. Binds `$files` (one path, as literalPath gives it).
 */
export const FILE_CONTENT_SQL = `SELECT count(*) AS objects,
  count(*) FILTER (WHERE json_type(json) = 'OBJECT' AND json_keys(json) = []) AS empty_objects,
  count(*) FILTER (WHERE json_type(json, '$.Records') = 'ARRAY') AS record_lists
FROM read_json_objects($files, format = 'unstructured', maximum_object_size = 268435456)`;

/**
 * What a file without records is: a CloudTrail file with an empty Records list (nothing to say), an empty
 * file or `{}` (said, as a warning: nothing was lost, but nothing was read either), or not CloudTrail.
 */
export function fileContentProblem(path: string, counts: Row | undefined): RunErrorEntry | null {
  const objects = Number(counts?.objects ?? 0);
  const empty = Number(counts?.empty_objects ?? 0);
  const lists = Number(counts?.record_lists ?? 0);
  if (objects === 0) {
    return {
      scope: 'file',
      id: path,
      code: 'file-empty',
      severity: 'warning',
      message: 'the file is empty or holds only white space: no events read from it',
    };
  }
  if (lists === objects) return null;
  if (empty === objects) {
    return {
      scope: 'file',
      id: path,
      code: 'file-empty',
      severity: 'warning',
      message: 'the file holds only {}: no events read from it',
    };
  }
  return {
    scope: 'file',
    id: path,
    code: 'file-not-cloudtrail',
    message: 'no "Records" list of CloudTrail events in this file',
  };
}
