// The query stage: stage the window's raw logs once, then run every rule over the staged relation.
import type { Config } from './config/schema.js';
import type { QueryEngine, StageResult, TimeWindow } from './engine/types.js';
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
  try {
    // Only the columns some enabled rule reads are staged: less to parse and to hold in memory.
    const enabled = rules.filter((r) => config.rules[r.id]?.enabled !== false);
    stage = await engine.stage(window, columnsReadBy(enabled));
  } catch (error) {
    // Unusable input (no such logs folder) ends the run with exit code 3; anything else is data.
    if (error instanceof InputError) throw error;
    const message = errorMessage(error).split('\n')[0] ?? 'staging failed';
    log.error('reading the logs failed', { error: message });
    return {
      stage: null,
      findings: [],
      runs: rules.map((r) => ({
        ruleId: r.id,
        title: r.title,
        tier: r.tier,
        risk: r.risk,
        status: 'failed',
        reason: 'the logs could not be read',
        sql: r.sql,
        parameters: [],
        findings: 0,
      })),
      errors: [{ scope: 'engine', id: engine.kind, code: 'staging-failed', message }],
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
