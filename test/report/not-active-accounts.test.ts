import { describe, expect, it } from 'vitest';
import { buildDigestModel } from '../../src/report/model/index.js';
import { sampleReportInput } from '../fixtures/sample-org.js';

describe('accounts not audited because of their Organizations state, in the digest and the evidence', () => {
  const suspended = {
    scope: 'account' as const,
    id: '666666666666',
    code: 'account-suspended' as const,
    message:
      "not audited: the account's state in Organizations is SUSPENDED; it may still hold data and trails",
    severity: 'warning' as const,
  };

  it('names the account as not audited with its state, as a warning that leaves the audit complete', () => {
    const base = sampleReportInput();
    const model = buildDigestModel({ ...base, errors: [...base.errors, suspended] });
    expect(model.accounts.notAudited.map((a) => a.id)).toContain('666666666666');
    expect(model.warnings.map((w) => [w.code, w.reason])).toContainEqual([
      'account-suspended',
      "not audited: the account's state in Organizations is SUSPENDED; it may still hold data and trails",
    ]);
    expect(model.notAudited.map((n) => n.id)).not.toContain('666666666666');
    expect(model.complete).toBe(buildDigestModel(base).complete);
  });

  it('makes the audit incomplete for a state trailwatch does not know', () => {
    const base = sampleReportInput();
    const unknown = { ...suspended, code: 'account-state-unknown' as const, severity: undefined };
    const model = buildDigestModel({ ...base, errors: [...base.errors, unknown] });
    expect(model.notAudited.map((n) => [n.id, n.code])).toContainEqual([
      '666666666666',
      'account-state-unknown',
    ]);
    expect(model.complete).toBe(false);
  });
});
