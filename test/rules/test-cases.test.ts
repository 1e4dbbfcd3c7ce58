import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { fillRecord, omitFields, runTestCase } from '../../src/rules/test-cases.js';
import type { RuleDefinition } from '../../src/rules/types.js';

const base = (await loadRules()).find((r) => r.id === 'kms-key-deletion')!;

// A rule that matches only records lacking readOnly and the caller's ARN: it passes only if the runner
// really writes the case's records without those fields.
const lacking: RuleDefinition = {
  ...base,
  id: 'lacking-fields',
  sql: base.sql.replace(
    "AND eventsource = 'kms.amazonaws.com'",
    "AND eventsource = 'kms.amazonaws.com' AND readonly IS NULL AND useridentity.arn IS NULL AND useridentity.username = 'alice'",
  ),
};

const event = { eventSource: 'kms.amazonaws.com', eventName: 'ScheduleKeyDeletion', requestParameters: { keyId: 'k' } };

describe('omitFields', () => {
  it('deletes top-level and nested fields and leaves the rest, without touching the input', () => {
    const filled = fillRecord(event, 1);
    const omitted = omitFields(filled, ['readOnly', 'userIdentity.arn', 'recipientAccountId', 'no.such.field']);
    expect('readOnly' in omitted).toBe(false);
    expect('recipientAccountId' in omitted).toBe(false);
    expect(omitted.userIdentity).toEqual({ ...(filled.userIdentity as object), arn: undefined });
    expect('arn' in (omitted.userIdentity as object)).toBe(false);
    expect(filled.readOnly).toBe(false);
    expect(omitted.eventName).toBe('ScheduleKeyDeletion');
  });
});

describe('runTestCase with omit', () => {
  it('writes records that really lack the omitted fields', async () => {
    expect(lacking.sql).toContain('readonly IS NULL');
    const withOmit = await runTestCase(lacking, {
      name: 'omitted',
      expect: 'match',
      events: [event],
      omit: ['readOnly', 'userIdentity.arn'],
    });
    expect(withOmit.error).toBeUndefined();
    expect(withOmit.findings).toHaveLength(1);
    // The caller is still named: principal falls back to the principal id.
    expect(withOmit.findings[0]!.principal).toBe('AIDAEXAMPLEPRINCIPAL1');
    expect(withOmit.passed).toBe(true);
  });

  it('keeps the filled defaults when a case omits nothing', async () => {
    const without = await runTestCase(lacking, { name: 'filled', expect: 'match', events: [event] });
    expect(without.error).toBeUndefined();
    expect(without.findings).toEqual([]);
    expect(without.passed).toBe(false);
  });
});
