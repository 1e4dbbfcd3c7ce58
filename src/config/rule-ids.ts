import { ConfigError } from '../shared/errors.js';
import type { Config } from './schema.js';

/**
 * Refuses per-rule settings and suppressions that name no known rule: a typo there would silently leave a
 * rule on, at the wrong tier, or a finding unsuppressed. `known` holds the catalogue's ids (and, for
 * suppressions, the coverage check ids).
 */
export function checkConfigRuleIds(
  config: Config,
  ruleIds: readonly string[],
  checkIds: readonly string[] = [],
  /** Other catalogue problems (rule parameters) to report in the same pass. */
  more: readonly string[] = [],
): void {
  const rules = new Set(ruleIds);
  const suppressible = new Set([...ruleIds, ...checkIds, '*']);
  const problems: string[] = [];
  for (const id of Object.keys(config.rules)) {
    if (!rules.has(id))
      problems.push(`rules.${id}: expected a rule id (see trailwatch rules list), found "${id}"`);
  }
  config.suppressions.forEach((s, i) => {
    if (!suppressible.has(s.rule))
      problems.push(`suppressions[${i}].rule: expected a rule or coverage check id, found "${s.rule}"`);
  });
  problems.push(...more);
  if (problems.length > 0) {
    throw new ConfigError(
      `the configuration's rule settings have ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      problems,
    );
  }
}
