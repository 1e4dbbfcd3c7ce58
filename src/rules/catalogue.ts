// The run's rule catalogue: the rule files (built in and the config's rulesDirs), with the config's per-rule
// settings and suppressions checked against them and the coverage checks before anything runs.
import type { Config } from '../config/schema.js';
import { checkConfigRuleIds } from '../config/rule-ids.js';
import { COVERAGE_CHECKS } from '../trails/evaluate.js';
import { loadRules } from './load.js';
import { ruleParameterProblems } from './parameters.js';
import type { RuleDefinition } from './types.js';

/** Loads the rules and refuses (ConfigError, every problem at once) a config that names what does not exist. */
export async function loadCatalogue(
  config: Config,
  today: string = new Date().toISOString().slice(0, 10),
): Promise<RuleDefinition[]> {
  const rules = await loadRules(config.rulesDirs);
  checkConfigRuleIds(
    config,
    rules.map((r) => r.id),
    Object.keys(COVERAGE_CHECKS),
    today,
    ruleParameterProblems(config, rules),
  );
  return rules;
}
