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
): Promise<DetectResult> {
  let stage: StageResult;
  const enabled = rules.filter((r) => config.rules[r.id]?.enabled !== false);
  try {
    // Only the columns some enabled rule reads are staged: less to parse and to hold in memory.
    stage = await engine.stage(window, columnsReadBy(enabled));
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
  return {
    stage,
    findings: evaluated.findings,
    runs: evaluated.runs,
    errors: [...stage.errors, ...evaluated.errors],
  };
}
