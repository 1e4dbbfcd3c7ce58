import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { formatIssues, parseYaml } from '../config/load.js';
import { ConfigError } from '../shared/errors.js';
import { PROJECT_ROOT } from '../shared/version.js';
import { parameterValueProblems } from './parameters.js';
import { ruleFileSchema } from './schema.js';
import { countPlaceholders } from '../shared/sql-text.js';
import type { RuleDefinition, RuleTestCase } from './types.js';

/** Placeholder names every rule may bind besides its own parameters. */
export const BUILTIN_BINDINGS = ['windowStart', 'windowEnd'] as const;

/** The folder that holds the built-in catalogue (rules/ and queries/). */
export const BUILTIN_RULES_DIR = PROJECT_ROOT;

async function loadDir(dir: string, problems: string[]): Promise<RuleDefinition[]> {
  const rulesDir = join(dir, 'rules');
  const queriesDir = join(dir, 'queries');
  if (!existsSync(rulesDir)) {
    problems.push(`${rulesDir}: expected a folder of rule files, found nothing`);
    return [];
  }
  const names = (await readdir(rulesDir)).filter((n) => n.endsWith('.yaml')).sort();
  const rules: RuleDefinition[] = [];
  for (const name of names) {
    const file = join(rulesDir, name);
    const shown = relative(process.cwd(), file) || file;
    const yaml = parseYaml(await readFile(file, 'utf8'), shown);
    if (!yaml.ok) {
      problems.push(...yaml.problems);
      continue;
    }
    const input = yaml.value;
    const parsed = ruleFileSchema.safeParse(input);
    if (!parsed.success) {
      problems.push(...formatIssues(parsed.error.issues, input).map((p) => `${shown} ${p}`));
      continue;
    }
    const rule = parsed.data;
    const id = basename(name, '.yaml');
    if (rule.id !== id) problems.push(`${shown} id: expected "${id}" (the file name), found "${rule.id}"`);
    const sqlFile = join(queriesDir, `${id}.sql`);
    if (!existsSync(sqlFile)) {
      problems.push(`${shown}: expected its query at ${relative(process.cwd(), sqlFile)}, found no file`);
      continue;
    }
    const sql = await readFile(sqlFile, 'utf8');
    const placeholders = countPlaceholders(sql);
    if (placeholders !== rule.query.bind.length) {
      problems.push(
        `${shown} query.bind: expected ${placeholders} names (one per ? in the SQL), found ${rule.query.bind.length}`,
      );
    }
    rule.parameters.forEach((p, i) => {
      if (p.default === undefined) return;
      const wrong = parameterValueProblems(p, p.default, ['parameters', i, 'default'], input);
      problems.push(...wrong.map((line) => `${shown} ${line}`));
    });
    const known = new Set<string>([...BUILTIN_BINDINGS, ...rule.parameters.map((p) => p.name)]);
    rule.query.bind.forEach((b, i) => {
      if (!known.has(b))
        problems.push(
          `${shown} query.bind[${i}]: expected windowStart, windowEnd or a parameter name, found "${b}"`,
        );
    });
    const tests: RuleTestCase[] = rule.tests.map((t) => {
      const events = t.events ?? (t.event ? [t.event] : []);
      const repeated = Array.from({ length: t.repeat ?? 1 }, () => events).flat();
      return {
        name: t.name,
        expect: t.expect,
        events: repeated,
        ...(t.parameters ? { parameters: t.parameters } : {}),
        ...(t.omit ? { omit: t.omit } : {}),
      };
    });
    rules.push({
      id: rule.id,
      title: rule.title,
      tier: rule.tier,
      risk: rule.risk,
      why: rule.why.trim(),
      next: rule.next.trim(),
      references: rule.references,
      mitre: rule.mitre,
      parameters: rule.parameters,
      ...(rule.grouping ? { grouping: rule.grouping } : {}),
      bind: rule.query.bind,
      sql,
      tests,
      file,
      sqlFile,
    });
  }
  // Every query has its rule: an orphan SQL file is a rule that silently never runs.
  if (existsSync(queriesDir)) {
    for (const q of (await readdir(queriesDir)).filter((n) => n.endsWith('.sql'))) {
      const id = basename(q, '.sql');
      if (id !== 'cloudtrail-table' && !names.includes(`${id}.yaml`)) {
        problems.push(
          `${relative(process.cwd(), join(queriesDir, q))}: expected a rule file rules/${id}.yaml, found none`,
        );
      }
    }
  }
  return rules;
}

/**
 * Loads the built-in catalogue and the rule folders named in the config. Every problem in every file is
 * reported at once as a ConfigError.
 */
export async function loadRules(
  extraDirs: readonly string[] = [],
  builtinDir = BUILTIN_RULES_DIR,
): Promise<RuleDefinition[]> {
  const problems: string[] = [];
  const rules: RuleDefinition[] = [];
  for (const dir of [builtinDir, ...extraDirs]) rules.push(...(await loadDir(dir, problems)));
  const seen = new Map<string, string>();
  for (const rule of rules) {
    const first = seen.get(rule.id);
    if (first) problems.push(`${rule.file} id: expected a unique id, found "${rule.id}" also in ${first}`);
    else seen.set(rule.id, rule.file);
  }
  if (problems.length > 0)
    throw new ConfigError(
      `the rule catalogue has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      problems,
    );
  return rules.sort((a, b) => a.id.localeCompare(b.id));
}
