import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { maskSql } from '../../src/shared/sql-text.js';
import { fillRecord, omitFields, runTestCase } from '../../src/rules/test-cases.js';

const rules = await loadRules();

// Fields CloudTrail leaves out of some events, eras or services, by the column path a rule reads them with.
const OPTIONAL_FIELDS: [column: RegExp, path: string][] = [
  [/\breadonly\b/, 'readOnly'],
  [/\brecipientaccountid\b/, 'recipientAccountId'],
  [/\buseridentity\.arn\b/, 'userIdentity.arn'],
  [/\buseridentity\.sessioncontext\b/, 'userIdentity.sessionContext'],
  [/\beventtype\b/, 'eventType'],
];

function has(record: Record<string, unknown>, path: string): boolean {
  let node: unknown = record;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

describe.each(rules.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
  it('has at least two positive and two negative cases', () => {
    expect(rule.tests.filter((t) => t.expect === 'match').length).toBeGreaterThanOrEqual(2);
    expect(rule.tests.filter((t) => t.expect === 'no-match').length).toBeGreaterThanOrEqual(2);
  });

  it('has a matching case whose records lack readOnly and every other optional field the rule reads', () => {
    const sql = maskSql(rule.sql).toLowerCase();
    const optional = OPTIONAL_FIELDS.filter(([column, path]) => path === 'readOnly' || column.test(sql)).map(
      ([, path]) => path,
    );
    const lacking = rule.tests.filter(
      (t) =>
        t.expect === 'match' &&
        t.events.every((e, i) => optional.every((path) => !has(omitFields(fillRecord(e, i + 1), t.omit ?? []), path))),
    );
    expect(lacking.map((t) => t.name), `a case without ${optional.join(', ')}`).not.toEqual([]);
  });

  it.each(rule.tests.map((t) => [t.name, t] as const))('%s', async (_name, testCase) => {
    const result = await runTestCase(rule, testCase);
    expect(result.error).toBeUndefined();
    expect(result.findings.length > 0).toBe(testCase.expect === 'match');
  });
});
