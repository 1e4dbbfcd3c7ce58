import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { runTestCase } from '../../src/rules/test-cases.js';

const rules = await loadRules();

describe.each(rules.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
  it('has at least two positive and two negative cases', () => {
    expect(rule.tests.filter((t) => t.expect === 'match').length).toBeGreaterThanOrEqual(2);
    expect(rule.tests.filter((t) => t.expect === 'no-match').length).toBeGreaterThanOrEqual(2);
  });

  it.each(rule.tests.map((t) => [t.name, t] as const))('%s', async (_name, testCase) => {
    const result = await runTestCase(rule, testCase);
    expect(result.error).toBeUndefined();
    expect(result.findings.length > 0).toBe(testCase.expect === 'match');
  });
});
