import { ConfigError } from '../shared/errors.js';
import type { Config } from './schema.js';
import { suppressionProblems } from './suppressions.js';

/**
 * Refuses per-rule settings that name no known rule and suppressions that are unknown, too broad, too long
 * or name fields their check does not have: a typo there would silently leave a rule on, at the wrong tier,
 * or a finding unsuppressed. `ruleIds` holds the catalogue's ids, `checkIds` the coverage check ids, and
 * `today` (YYYY-MM-DD) bounds the suppressions' expiry.
 */
export function checkConfigRuleIds(
  config: Config,
  ruleIds: readonly string[],
  checkIds: readonly string[] = [],
  today: string = new Date().toISOString().slice(0, 10),
  /** Other catalogue problems (rule parameters) to report in the same pass. */
  more: readonly string[] = [],
): void {
  const rules = new Set(ruleIds);
  const problems: string[] = [];
  for (const id of Object.keys(config.rules)) {
    if (!rules.has(id))
      problems.push(`rules.${id}: expected a rule id (see trailwatch rules list), found "${id}"`);
  }
  problems.push(...suppressionProblems(config.suppressions, { today, ruleIds, checkIds }));
  problems.push(...more);
  if (problems.length > 0) {
    throw new ConfigError(
      `the configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'} with rules or suppressions`,
      problems,
    );
  }
}
