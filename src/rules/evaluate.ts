import type { Config } from '../config/schema.js';
import type { QueryEngine, Row, TimeWindow } from '../engine/types.js';
import type { Finding, RuleRun } from '../model.js';
import { errorMessage, type RunErrorEntry } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { startProgress } from '../shared/progress.js';
import type { RuleDefinition } from './types.js';
import { cloudTrailEventUrl } from '../shared/console-link.js';

/** The columns every rule query returns, in this order (the report understands exactly these). */
export const RULE_OUTPUT_COLUMNS = [
  'event_id',
  'event_time',
  'account_id',
  'region',
  'event_source',
  'event_name',
  'principal',
  'source_ip',
  'user_agent',
  'error_code',
  'summary',
  'risk',
  'tier',
  'event_ids',
] as const;

/** A rule's match before classification: its row, with the rule's (or the row's) tier and risk. */
export type RawFinding = Omit<Finding, 'suppressed' | 'suppression'>;

// The open window's bounds: every CloudTrail eventTime sorts between these.
const OPEN_START = '0000-01-01T00:00:00Z';
const OPEN_END = '9999-12-31T23:59:59Z';

/** The value a rule parameter takes: the rule's config, then a top-level config key, then the default. */
export function resolveParameter(
  rule: RuleDefinition,
  name: string,
  config: Config,
  caseParameters?: Record<string, unknown>,
): unknown {
  const spec = rule.parameters.find((p) => p.name === name);
  if (caseParameters && name in caseParameters) return caseParameters[name];
  const fromRule = config.rules[rule.id]?.parameters?.[name];
  if (fromRule !== undefined) return fromRule;
  if (spec?.configKey) {
    const top = (config as Record<string, unknown>)[spec.configKey];
    if (top !== undefined) return top;
  }
  return spec?.default;
}

/** The values bound to a rule's `?` placeholders, or the names of the parameters that are missing. */
export function bindValues(
  rule: RuleDefinition,
  window: TimeWindow,
  config: Config,
  caseParameters?: Record<string, unknown>,
): { values: unknown[]; missing: string[] } {
  const missing: string[] = [];
  const values = rule.bind.map((name) => {
    if (name === 'windowStart') return window.since ?? OPEN_START;
    if (name === 'windowEnd') return window.until ?? OPEN_END;
    const value = resolveParameter(rule, name, config, caseParameters);
    const spec = rule.parameters.find((p) => p.name === name);
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
      missing.push(spec?.configKey ?? `rules.${rule.id}.parameters.${name}`);
      return null;
    }
    // Lists travel as one comma-separated string: Athena binds only scalars, and split() reads it back.
    if (spec?.type === 'string-list') return (Array.isArray(value) ? value : [value]).map(String).join(',');
    if (spec?.type === 'integer') return Number(value);
    return String(value);
  });
  return { values, missing: [...new Set(missing)] };
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}

/** Turns one result row into a finding, checking the row has the fixed columns. */
export function rowToFinding(rule: RuleDefinition, row: Row): RawFinding {
  const risk = text(row.risk);
  const tier = text(row.tier);
  const ids = Array.isArray(row.event_ids) ? row.event_ids.map(String) : undefined;
  const eventId = text(row.event_id) ?? ids?.[0] ?? null;
  const region = text(row.region);
  return {
    ruleId: rule.id,
    tier: tier === 'alert' || tier === 'review' ? tier : rule.tier,
    risk: risk === 'high' || risk === 'medium' || risk === 'low' ? risk : rule.risk,
    eventId,
    ...(ids ? { eventIds: ids } : {}),
    eventTime: text(row.event_time),
    accountId: text(row.account_id),
    region,
    eventSource: text(row.event_source),
    eventName: text(row.event_name),
    principal: text(row.principal),
    sourceIp: text(row.source_ip),
    userAgent: text(row.user_agent),
    errorCode: text(row.error_code),
    summary: text(row.summary) ?? rule.title,
    consoleUrl: cloudTrailEventUrl(region, eventId),
  };
}

/** Runs one rule over the staged relation and returns its findings (throws when the query fails). */
export async function runRule(
  engine: QueryEngine,
  rule: RuleDefinition,
  values: unknown[],
): Promise<{ findings: RawFinding[]; queryId: string; bytesScanned: number; durationMs: number }> {
  const { rows, stats } = await engine.run(rule.sql, values);
  const first = rows[0];
  if (first) {
    const columns = Object.keys(first);
    if (columns.join(',') !== RULE_OUTPUT_COLUMNS.join(',')) {
      throw new Error(
        `query returns columns (${columns.join(', ')}); expected (${RULE_OUTPUT_COLUMNS.join(', ')})`,
      );
    }
  }
  return { findings: rows.map((row) => rowToFinding(rule, row)), ...stats };
}

/**
 * Evaluates every enabled rule over the staged `cloudtrail_logs` relation. A rule that fails or lacks a
 * setting is recorded as such; the others still run.
 */
export async function evaluateRules(
  engine: QueryEngine,
  rules: readonly RuleDefinition[],
  config: Config,
  window: TimeWindow,
  log: Logger,
): Promise<{ findings: RawFinding[]; runs: RuleRun[]; errors: RunErrorEntry[] }> {
  const findings: RawFinding[] = [];
  const runs: RuleRun[] = [];
  const errors: RunErrorEntry[] = [];
  const progress = startProgress('running rules', rules.length, log);
  for (const rule of rules) {
    const override = config.rules[rule.id];
    const tier = override?.tier ?? rule.tier;
    const risk = override?.risk ?? rule.risk;
    const base = { ruleId: rule.id, title: rule.title, tier, risk, sql: rule.sql, findings: 0 };
    if (override?.enabled === false) {
      runs.push({ ...base, status: 'disabled', reason: `rules.${rule.id}.enabled is false`, parameters: [] });
      progress.tick();
      continue;
    }
    const { values, missing } = bindValues(rule, window, config);
    if (missing.length > 0) {
      runs.push({
        ...base,
        status: 'not-configured',
        reason: `needs ${missing.join(', ')} in the config`,
        parameters: [],
      });
      progress.tick();
      continue;
    }
    try {
      // The config's tier and risk are applied to the findings by classify; the run records them.
      const result = await runRule(engine, rule, values);
      findings.push(...result.findings);
      runs.push({
        ...base,
        status: 'ran',
        parameters: values,
        queryId: result.queryId,
        bytesScanned: result.bytesScanned,
        durationMs: result.durationMs,
        findings: result.findings.length,
      });
    } catch (error) {
      const message = errorMessage(error).split('\n')[0] ?? 'query failed';
      log.warn('rule failed', { rule: rule.id, error: message });
      errors.push({ scope: 'rule', id: rule.id, code: 'rule-failed', message });
      runs.push({ ...base, status: 'failed', reason: message, parameters: values });
    }
    progress.tick();
  }
  progress.done({ findings: findings.length });
  return { findings, runs, errors };
}
