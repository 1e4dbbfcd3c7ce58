import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { runTestCase } from '../../src/rules/test-cases.js';
import { PROJECT_ROOT } from '../../src/shared/version.js';
import { maskSql, removeFilters } from '../support/sql-mutate.js';

const KEY_ORDER = ['id', 'title', 'tier', 'risk', 'why', 'next', 'references', 'mitre', 'parameters', 'grouping', 'query', 'tests'];
const rules = await loadRules();

describe('the rule catalogue polices itself', () => {
  it('has one rule file per query file and one query per rule, named by id', async () => {
    const yaml = (await readdir(join(PROJECT_ROOT, 'rules'))).filter((f) => f.endsWith('.yaml')).map((f) => basename(f, '.yaml'));
    const sql = (await readdir(join(PROJECT_ROOT, 'queries')))
      .filter((f) => f.endsWith('.sql') && f !== 'cloudtrail-table.sql')
      .map((f) => basename(f, '.sql'));
    expect(sql.sort()).toEqual(yaml.sort());
    expect(rules.map((r) => r.id).sort()).toEqual(yaml.sort());
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s keeps its keys in the fixed order', async (_id, rule) => {
    const doc = parseDocument(await readFile(rule.file, 'utf8')).toJS() as Record<string, unknown>;
    const keys = Object.keys(doc);
    expect(keys).toEqual(KEY_ORDER.filter((k) => keys.includes(k)));
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s checks the event source wherever it keys on event names', (_id, rule) => {
    const where = maskSql(rule.sql).split(/\bWHERE\b/i).slice(1).join(' ');
    if (/\beventname\b/i.test(where)) expect(where).toMatch(/\beventsource\b/i);
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s: removing its filters makes a negative case fail', async (_id, rule) => {
    const mutated = removeFilters(rule.sql);
    expect(mutated).not.toBe(rule.sql);
    const negatives = rule.tests.filter((t) => t.expect === 'no-match');
    const results = await Promise.all(negatives.map((t) => runTestCase(rule, t, mutated)));
    for (const r of results) expect(r.error).toBeUndefined();
    expect(results.some((r) => !r.passed)).toBe(true);
  });
});
