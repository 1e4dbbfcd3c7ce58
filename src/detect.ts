// The query stage: stage the window's raw logs once, then run every rule over the staged relation.
import type { Config } from './config/schema.js';
import { EngineLimitError, type QueryEngine, type StageResult, type TimeWindow } from './engine/types.js';
import type { RuleRun } from './model.js';
import { columnsReadBy } from './rules/columns.js';
import { evaluateRules, type RawFinding } from './rules/evaluate.js';
import type { RuleDefinition } from './rules/types.js';
import { errorMessage, InputError, type RunErrorEntry } from './shared/errors.js';
import type { Logger } from './shared/log.js';

/** What the query stage produced. */
export interface DetectResult {
  stage: StageResult | null;
  findings: RawFinding[];
  runs: RuleRun[];
  errors: RunErrorEntry[];
  /** Events staged per account (when asked for and the count could be made): account id → events. */
  eventsByAccount?: Record<string, number>;
}

/** Options of the query stage. */
export interface DetectOptions {
  /** Count the staged events per account (one more query), so the run can say which accounts are silent. */
  countByAccount?: boolean;
}

// The account of an event: the path's partition (AWSLogs/<account>/…), else the record's own field, for
// files kept outside CloudTrail's layout. Portable Trino/DuckDB text; nothing from a log is pasted into it.
const EVENTS_BY_ACCOUNT_SQL = `SELECT coalesce(account, recipientaccountid) AS account_id, count(*) AS events
FROM cloudtrail_logs
GROUP BY coalesce(account, recipientaccountid)`;

async function countEventsByAccount(
  engine: QueryEngine,
): Promise<{ counts: Record<string, number> } | { error: RunErrorEntry }> {
  try {
    const { rows } = await engine.run(EVENTS_BY_ACCOUNT_SQL, []);
    const counts: Record<string, number> = {};
    for (const row of rows) {
      if (typeof row.account_id === 'string') counts[row.account_id] = Number(row.events);
    }
    return { counts };
  } catch (error) {
    return {
      error: {
        scope: 'engine',
        id: engine.kind,
        code: 'events-by-account-failed',
        message: `the events could not be counted per account, so accounts without events cannot be named: ${errorMessage(error).split('\n')[0] ?? ''}`,
      },
    };
  }
}

/**
 * Reads the raw logs of the window once (staging), then evaluates the rules. If staging fails, every rule is
 * reported as not evaluated — the run is incomplete, never clean.
 */
export async function detect(
  engine: QueryEngine,
  rules: readonly RuleDefinition[],
  config: Config,
  window: TimeWindow,
  log: Logger,
  options: DetectOptions = {},
): Promise<DetectResult> {
  let stage: StageResult;
  const enabled = rules.filter((r) => config.rules[r.id]?.enabled !== false);
  try {
    // Only the columns some enabled rule reads are staged: less to parse and to hold in memory (plus the
    // record's account, when events are counted per account).
    const columns = columnsReadBy(enabled);
    stage = await engine.stage(
      window,
      columns && options.countByAccount ? [...new Set([...columns, 'recipientaccountid'])] : columns,
    );
  } catch (error) {
    // Unusable input (no such logs folder) ends the run with exit code 3; anything else is data.
    if (error instanceof InputError) throw error;
    const message = errorMessage(error).split('\n')[0] ?? 'staging failed';
    // Running out of memory or disk has its own code: the message names the setting to change.
    const code = error instanceof EngineLimitError ? error.code : 'staging-failed';
    log.error('reading the logs failed', { error: message, code });
    const cause = {
      'engine-out-of-disk': 'disk space',
      'engine-out-of-memory': 'memory',
      'staging-failed': null,
    }[code];
    const reason = `not evaluated: ${cause ? `the engine ran out of ${cause}` : 'the logs could not be read'}`;
    return {
      stage: null,
      findings: [],
      runs: rules.map((r) => ({
        ruleId: r.id,
        title: r.title,
        tier: r.tier,
        risk: r.risk,
        status: 'failed',
        reason,
        sql: r.sql,
        parameters: [],
        findings: 0,
      })),
      // Every rule is named as not evaluated, so a partial day never reads as a clean one.
      errors: [
        { scope: 'engine', id: engine.kind, code, message },
        ...enabled.map((r): RunErrorEntry => ({
          scope: 'rule',
          id: r.id,
          code: 'rule-not-evaluated',
          message: reason,
        })),
      ],
    };
  }
  const evaluated = await evaluateRules(engine, rules, config, window, log);
  const counted = options.countByAccount ? await countEventsByAccount(engine) : null;
  return {
    stage,
    findings: evaluated.findings,
    runs: evaluated.runs,
    errors: [...stage.errors, ...evaluated.errors, ...(counted && 'error' in counted ? [counted.error] : [])],
    ...(counted && 'counts' in counted ? { eventsByAccount: counted.counts } : {}),
  };
}
