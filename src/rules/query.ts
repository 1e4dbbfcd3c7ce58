// The query stage: stage the window's raw logs once, then run every rule over the staged relation; and what
// the run's facts say of it (files and events read, every rule's run) and the gaps it found (no events, an
// account without events, a rule not configured).
import type { ClientFactory } from '../aws/clients.js';
import type { Config } from '../config/schema.js';
import { openEngine, type EngineInput } from '../engine/open.js';
import { EngineLimitError, type QueryEngine, type StageResult, type TimeWindow } from '../engine/types.js';
import type { RunFacts, RuleRun } from '../model.js';
import { errorMessage, InputError, type RunErrorEntry } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { CoverageInput } from '../trails/coverage.js';
import { columnsReadBy } from './columns.js';
import { evaluateRules, type RawFinding } from './evaluate.js';
import type { RuleDefinition } from './types.js';
import { athenaCost, type AthenaCost } from '../shared/athena-cost.js';

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

/** What the run's facts take from the query stage. */
export type QueryFacts = Pick<
  RunFacts,
  | 'window'
  | 'engine'
  | 'source'
  | 'filesRead'
  | 'filesSkipped'
  | 'eventsRead'
  | 'duplicateEvents'
  | 'bytesRead'
  | 'rules'
  | 'athenaTables'
>;

/** The window queried: the rules' findings, the facts, and the problems met, by kind. */
export interface QueriedWindow {
  findings: RawFinding[];
  facts: QueryFacts;
  /** Files, records and rules that could not be read or evaluated. */
  errors: RunErrorEntry[];
  /** Accounts or regions Athena's tables do not project (said with the coverage problems). */
  projection: RunErrorEntry[];
  /** What the logs read leave unaudited: no events at all, a logging account without events, a rule not configured. */
  gaps: RunErrorEntry[];
}

/** What the query stage reads: the engine's input, the window, and the coverage audit (if the run has one). */
export interface QueryInput extends Omit<EngineInput, 'snapshot'> {
  window: TimeWindow;
  /** The coverage audit: the accounts whose events must be there, the organization Athena must project. */
  coverage: CoverageInput | undefined;
}

/** A run that queries no window (`trailwatch coverage`: the trails alone): no log is read, no rule runs. */
export interface NoWindow {
  config: Pick<Config, 'engine'>;
  window: null;
}

/** The query stage of a run that queries no window: nothing read, no rule run, nothing missed. */
function windowNotQueried(config: Pick<Config, 'engine'>): QueriedWindow {
  return {
    findings: [],
    facts: {
      window: { since: null, until: null },
      engine: config.engine.type,
      source: 'none (no window queried)',
      filesRead: 0,
      eventsRead: 0,
      duplicateEvents: 0,
      bytesRead: 0,
      rules: [],
    },
    errors: [],
    projection: [],
    gaps: [],
  };
}

/**
 * The accounts coverage says a trail logs, of which the logs read held no event. Each is an error, not a
 * warning: trailwatch cannot tell a quiet account from logs that never reached the source (a sync that
 * skips the account, a table whose partitions miss it), and a blind spot is never clean. When the logs held
 * no event at all, `no-events-in-window` already says so.
 */
function silentAccounts(
  detected: DetectResult,
  loggingAccounts: readonly string[],
  span: string,
): RunErrorEntry[] {
  const counts = detected.eventsByAccount;
  if (!counts || !detected.stage || detected.stage.events === 0) return [];
  return loggingAccounts
    .filter((id) => !counts[id])
    .map((id) => ({
      scope: 'account' as const,
      id,
      code: 'account-no-events',
      message: `a logging trail covers this account, yet the logs read held none of its events${span}: its activity was not audited (are its logs missing from the source?)`,
    }));
}

/** What the logs read leave unaudited, in the order the run lists them. */
function gapsOf(detected: DetectResult, input: QueryInput, source: string): RunErrorEntry[] {
  const { window } = input;
  const span =
    window.since || window.until
      ? ` between ${window.since ?? 'the start'} and ${window.until ?? 'the end'}`
      : '';
  const gaps: RunErrorEntry[] = [];
  // Nothing to look at is not a clean day: a missing sync, a wrong folder or a stopped organization trail
  // all look like this.
  if (detected.stage && detected.stage.events === 0) {
    gaps.push({
      scope: 'engine',
      id: source,
      code: 'no-events-in-window',
      message: `no CloudTrail events were found${span}; nothing could be audited`,
    });
  }
  gaps.push(...silentAccounts(detected, input.coverage?.loggingAccounts ?? [], span));
  for (const run of detected.runs.filter((r) => r.status === 'not-configured')) {
    gaps.push({
      scope: 'rule',
      id: run.ruleId,
      code: 'rule-not-configured',
      message: run.reason ?? 'not configured',
      severity: 'warning',
    });
  }
  return gaps;
}

/** The staging read and every rule query that reported a scan, billed as Athena bills them. */
export function athenaCostOf(detected: DetectResult, usdPerTerabyte: number): AthenaCost {
  const scans = detected.runs.flatMap((r) => (r.bytesScanned === undefined ? [] : [r.bytesScanned]));
  return athenaCost(detected.stage ? [detected.stage.bytesRead, ...scans] : scans, usdPerTerabyte);
}

/** Opens the engine, stages the window once, runs every rule, and closes the engine (no window: none of it). */
export async function queryWindow(
  input: QueryInput | NoWindow,
  rules: readonly RuleDefinition[],
  deps: { log: Logger; clients: ClientFactory },
): Promise<QueriedWindow> {
  if (input.window === null) return windowNotQueried(input.config);
  const snapshot = input.coverage?.snapshot;
  const opened = await openEngine({ ...input, ...(snapshot ? { snapshot } : {}) }, deps);
  let detected: DetectResult;
  try {
    detected = await detect(opened.engine, rules, input.config, input.window, deps.log, {
      countByAccount: (input.coverage?.loggingAccounts ?? []).length > 0,
    });
  } finally {
    await opened.engine.close();
  }
  const { stage } = detected;
  return {
    findings: detected.findings,
    facts: {
      // Without --since/--until the audited span is that of the events themselves.
      window: {
        since: input.window.since ?? stage?.firstEvent ?? null,
        until: input.window.until ?? stage?.lastEvent ?? null,
      },
      engine: opened.engine.kind,
      source: opened.source,
      filesRead: stage ? stage.files - stage.filesFailed : 0,
      ...(stage?.filesSkipped !== undefined ? { filesSkipped: stage.filesSkipped } : {}),
      eventsRead: stage?.events ?? 0,
      duplicateEvents: stage?.duplicateEvents ?? 0,
      bytesRead: stage?.bytesRead ?? 0,
      rules: detected.runs,
      ...(opened.athenaTables ? { athenaTables: opened.athenaTables } : {}),
      ...(opened.engine.kind === 'athena'
        ? { athenaCost: athenaCostOf(detected, input.config.engine.athena.usdPerTerabyte) }
        : {}),
    },
    errors: detected.errors,
    projection: opened.errors,
    gaps: gapsOf(detected, input, opened.source),
  };
}
