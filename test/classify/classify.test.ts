import { describe, expect, it } from 'vitest';
import { classifyFindings, expiredSuppressions } from '../../src/classify/classify.js';
import type { RawFinding } from '../../src/rules/evaluate.js';

function raw(over: Partial<RawFinding>): RawFinding {
  return {
    ruleId: 'console-login',
    tier: 'alert',
    risk: 'medium',
    eventId: 'e1',
    eventTime: '2026-11-20T10:00:00Z',
    accountId: '111122223333',
    region: 'us-east-1',
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    principal: 'arn:aws:iam::111122223333:user/breakglass',
    sourceIp: '198.51.100.7',
    userAgent: 'Mozilla/5.0',
    errorCode: null,
    summary: 'sign-in',
    ...over,
  };
}

const suppression = {
  rule: 'console-login',
  principal: 'arn:aws:iam::111122223333:user/breakglass',
  reason: 'break-glass user, reviewed weekly',
  expires: '2026-12-31',
};

describe('classifyFindings', () => {
  it('marks a matching finding suppressed, keeps it, and carries the reason and expiry', () => {
    const [f] = classifyFindings([raw({})], [suppression], '2026-11-21');
    expect(f?.suppressed).toBe(true);
    expect(f?.suppression).toEqual({ reason: 'break-glass user, reviewed weekly', expires: '2026-12-31' });
  });

  it('does not suppress another principal or another rule', () => {
    const out = classifyFindings(
      [raw({ principal: 'arn:aws:iam::111122223333:user/mallory' }), raw({ ruleId: 'root-usage' })],
      [suppression],
      '2026-11-21',
    );
    expect(out.map((f) => f.suppressed)).toEqual([false, false]);
  });

  it('stops applying a suppression after its expiry date and lists it as expired', () => {
    const [f] = classifyFindings([raw({})], [suppression], '2027-01-01');
    expect(f?.suppressed).toBe(false);
    expect(expiredSuppressions([suppression], '2027-01-01')).toEqual([suppression]);
    expect(expiredSuppressions([suppression], '2026-12-31')).toEqual([]);
  });

  it('orders alerts before review items, then high risk first', () => {
    const out = classifyFindings(
      [
        raw({ ruleId: 'iam-change', tier: 'review', risk: 'low' }),
        raw({ ruleId: 'b', risk: 'medium' }),
        raw({ ruleId: 'a', risk: 'high' }),
      ],
      [],
      '2026-11-21',
    );
    expect(out.map((f) => f.ruleId)).toEqual(['a', 'b', 'iam-change']);
  });
});
