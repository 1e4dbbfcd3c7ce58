// The config's per-rule tier and risk (rules.<id>.tier, rules.<id>.risk) applied to a rule's findings: they
// replace the rule file's defaults, while a row that escalated itself (a risk other than the rule's) keeps it.
import type { RuleOverride } from '../config/schema.js';
import type { RawFinding } from '../rules/evaluate.js';
import type { RuleDefinition } from '../rules/types.js';

/** The rule metadata the overrides need: the rule file's own risk tells a row's escalation from the default. */
export type RuleDefaults = Pick<RuleDefinition, 'id' | 'risk'>;

/** Returns the finding with its rule's configured tier and risk. */
export function withConfiguredTierAndRisk(
  finding: RawFinding,
  overrides: Readonly<Record<string, RuleOverride>>,
  defaults: ReadonlyMap<string, RuleDefaults>,
): RawFinding {
  const override = overrides[finding.ruleId];
  if (!override || (override.tier === undefined && override.risk === undefined)) return finding;
  const rule = defaults.get(finding.ruleId);
  const escalated = rule !== undefined && finding.risk !== rule.risk;
  return {
    ...finding,
    tier: override.tier ?? finding.tier,
    risk: escalated ? finding.risk : (override.risk ?? finding.risk),
  };
}
