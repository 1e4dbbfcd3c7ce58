// Rule parameters as the config sets them (`rules.<id>.parameters`), checked against the types the rule files
// declare. An unchecked value changes what is audited without a word: a threshold of "ten" binds NULL and the
// rule finds nothing; a misspelled name is ignored and the default runs.
import { z } from 'zod';
import { describe, formatIssues, formatPath } from '../config/load.js';
import { configSchema, type Config } from '../config/schema.js';
import type { RuleParameter } from './types.js';

/** The schema of one parameter's value, from its declared type (and the top-level key that also sets it). */
export function parameterValueSchema(parameter: RuleParameter): z.ZodType {
  // A parameter that a top-level key also supplies (approvedRegions…) takes exactly what that key takes,
  // so a per-rule override cannot slip past the checks the top-level key gets.
  const shape = configSchema.shape as Record<string, z.ZodType | undefined>;
  const topLevel = parameter.configKey ? shape[parameter.configKey] : undefined;
  if (topLevel) return topLevel;
  if (parameter.type === 'string') return z.string();
  if (parameter.type === 'string-list') return z.array(z.string());
  const integer = z.int();
  return parameter.minimum === undefined
    ? integer
    : integer.min(parameter.minimum, { error: `an integer of at least ${parameter.minimum}` });
}

/** How each parameter type is named in `expected X` messages. */
export const PARAMETER_TYPE_WORDS: Record<RuleParameter['type'], string> = {
  string: 'a string',
  integer: 'an integer',
  'string-list': 'a list of strings',
};

/**
 * Every problem with the configured parameters of the rules in the catalogue: unknown names and values of the
 * wrong type, each as `rules.<id>.parameters.<name>: expected X, found Y`. Rules the catalogue does not hold
 * are left to the rule-id check.
 */
export function ruleParameterProblems(
  config: Pick<Config, 'rules'>,
  rules: readonly { id: string; parameters: readonly RuleParameter[] }[],
): string[] {
  const problems: string[] = [];
  for (const rule of rules) {
    const given = config.rules[rule.id]?.parameters;
    if (!given) continue;
    const names = rule.parameters.map((p) => p.name);
    for (const [name, value] of Object.entries(given)) {
      const spec = rule.parameters.find((p) => p.name === name);
      if (!spec) {
        problems.push(
          `rules.${rule.id}.parameters.${name}: expected ${names.length > 0 ? `one of ${rule.id}'s parameters (${names.join(', ')})` : `no parameters (${rule.id} takes none)`}, found ${JSON.stringify(name)}`,
        );
        continue;
      }
      problems.push(
        ...parameterValueProblems(spec, value, ['rules', rule.id, 'parameters', name], {
          rules: { [rule.id]: { parameters: given } },
        }),
      );
    }
  }
  return problems;
}

/**
 * The problems of one value against its parameter's declared type, as `path: expected X, found Y` lines;
 * `root` is the document `path` points into (for the found values of nested problems).
 */
export function parameterValueProblems(
  spec: RuleParameter,
  value: unknown,
  path: readonly PropertyKey[],
  root: unknown,
): string[] {
  const result = parameterValueSchema(spec).safeParse(value);
  if (result.success) return [];
  if (result.error.issues.some((i) => i.code === 'invalid_type' && i.path.length === 0)) {
    // The value is of the wrong kind altogether ("ten" for a threshold, one string for a list).
    return [`${formatPath(path)}: expected ${PARAMETER_TYPE_WORDS[spec.type]}, found ${describe(value)}`];
  }
  const issues = result.error.issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] }));
  return formatIssues(issues, root);
}
