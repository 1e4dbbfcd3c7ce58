import { describe, expect, it } from 'vitest';
import { classify, expiringSoon } from '../../src/classify/classify.js';
import { roleArnOfSession } from '../../src/classify/match.js';
import type { Suppression } from '../../src/config/schema.js';
import type { CoverageFinding } from '../../src/model.js';
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

const TODAY = '2026-11-21';

const breakglass: Suppression = {
  rule: 'console-login',
  principal: 'arn:aws:iam::111122223333:user/breakglass',
  reason: 'break-glass user, reviewed weekly',
  owner: 'security@example.com',
  expires: '2026-12-31',
};

/** Whether each finding, in input order, is suppressed (classify reorders them; ids find them again). */
function suppressedBy(findings: RawFinding[], suppressions: Suppression[], today = TODAY): boolean[] {
  const tagged = findings.map((f, i) => ({ ...f, eventId: `in-${i}` }));
  const out = classify({ findings: tagged, suppressions, today }).findings;
  return tagged.map((f) => out.find((o) => o.eventId === f.eventId)?.suppressed ?? false);
}

describe('classify: suppressions', () => {
  it('marks a matching finding suppressed, keeps it, and carries the suppression, reason, owner and expiry', () => {
    const { findings } = classify({ findings: [raw({})], suppressions: [breakglass], today: TODAY });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.suppressed).toBe(true);
    expect(findings[0]?.suppression).toEqual({
      id: 'suppressions[0]',
      index: 0,
      reason: 'break-glass user, reviewed weekly',
      owner: 'security@example.com',
      expires: '2026-12-31',
    });
  });

  it('does not suppress another principal or another rule', () => {
    expect(
      suppressedBy(
        [raw({ principal: 'arn:aws:iam::111122223333:user/mallory' }), raw({ ruleId: 'root-usage' })],
        [breakglass],
      ),
    ).toEqual([false, false]);
  });

  it("a principal glob hides a CI role's sessions in every account, and nothing else", () => {
    const ci: Suppression = {
      id: 'ci-deploy',
      rule: '*',
      principal: 'arn:aws:sts::*:assumed-role/github-actions-deploy/*',
      reason: 'Terraform from main',
      expires: '2027-01-31',
    };
    const findings = [
      raw({
        ruleId: 'iam-critical-change',
        principal: 'arn:aws:sts::111111111111:assumed-role/github-actions-deploy/GitHubActions',
      }),
      raw({
        ruleId: 'security-group-change',
        principal: 'arn:aws:sts::222222222222:assumed-role/github-actions-deploy/run-42',
      }),
      raw({
        ruleId: 'iam-change',
        principal: 'arn:aws:sts::333333333333:assumed-role/github-actions-deploy/GitHubActions',
      }),
      // Near-misses: another role whose name starts the same, and the deploy role's name as a user.
      raw({
        ruleId: 'iam-change',
        principal: 'arn:aws:sts::111111111111:assumed-role/github-actions-deploy-x/GitHubActions',
      }),
      raw({ ruleId: 'iam-change', principal: 'arn:aws:iam::111111111111:user/github-actions-deploy' }),
    ];
    expect(suppressedBy(findings, [ci])).toEqual([true, true, true, false, false]);
  });

  it("a role ARN also matches the role's assumed-role sessions (role path dropped, as in session ARNs)", () => {
    const role = (principal: string): Suppression => ({
      rule: 'iam-change',
      principal,
      reason: 'deploy role',
      expires: '2027-01-31',
    });
    const session = raw({
      ruleId: 'iam-change',
      principal: 'arn:aws:sts::111111111111:assumed-role/deploy/GitHubActions',
    });
    expect(suppressedBy([session], [role('arn:aws:iam::*:role/deploy')])).toEqual([true]);
    expect(suppressedBy([session], [role('arn:aws:iam::111111111111:role/ci/deploy')])).toEqual([true]);
    expect(suppressedBy([session], [role('arn:aws:iam::222222222222:role/deploy')])).toEqual([false]);
    expect(suppressedBy([session], [role('arn:aws:iam::*:role/other')])).toEqual([false]);
    expect(roleArnOfSession('arn:aws-us-gov:sts::111111111111:assumed-role/deploy/s')).toBe(
      'arn:aws-us-gov:iam::111111111111:role/deploy',
    );
    expect(roleArnOfSession('arn:aws:iam::111111111111:user/deploy')).toBeNull();
  });

  it('matches a source IP by CIDR, IPv4 and IPv6, and never a service name in its place', () => {
    const v4: Suppression = {
      rule: 'console-login',
      sourceIp: '203.0.113.0/24',
      reason: 'office',
      expires: '2027-01-31',
    };
    const v6: Suppression = {
      rule: 'console-login',
      sourceIp: '2001:db8:1200::/40',
      reason: 'office v6',
      expires: '2027-01-31',
    };
    const findings = [
      raw({ sourceIp: '203.0.113.77' }),
      raw({ sourceIp: '203.0.114.1' }),
      raw({ sourceIp: '2001:db8:12ab::9' }),
      raw({ sourceIp: '2001:db8:1300::1' }),
      // An IPv4-mapped IPv6 address is the IPv4 address.
      raw({ sourceIp: '::ffff:203.0.113.5' }),
      raw({ sourceIp: 'signin.amazonaws.com' }),
      raw({ sourceIp: null }),
    ];
    expect(suppressedBy(findings, [v4, v6])).toEqual([true, false, true, false, true, false, false]);
    // A single address is a /32 (or /128).
    const one: Suppression = { ...v4, sourceIp: '203.0.113.77' };
    expect(
      suppressedBy([raw({ sourceIp: '203.0.113.77' }), raw({ sourceIp: '203.0.113.78' })], [one]),
    ).toEqual([true, false]);
  });

  it('matches event names and user agents by glob, `*` crossing `/`', () => {
    const s: Suppression = {
      rule: '*',
      eventName: 'Put*',
      userAgent: '*Terraform/*',
      reason: 'terraform writes',
      expires: '2027-01-31',
    };
    const tf = 'APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io)';
    expect(
      suppressedBy(
        [
          raw({ eventName: 'PutRolePolicy', userAgent: tf }),
          raw({ eventName: 'PutRolePolicy', userAgent: 'aws-cli/2.17.0' }),
          raw({ eventName: 'DeleteRolePolicy', userAgent: tf }),
          raw({ eventName: 'PutRolePolicy', userAgent: null }),
        ],
        [s],
      ),
    ).toEqual([true, false, false, false]);
  });

  it('stops applying after the expiry date, says how many findings it shows again, and warns', () => {
    const result = classify({
      findings: [
        raw({ eventId: 'a' }),
        raw({ eventId: 'b' }),
        raw({ principal: 'arn:aws:iam::111122223333:user/x' }),
      ],
      suppressions: [breakglass],
      today: '2027-01-01',
    });
    expect(result.findings.map((f) => f.suppressed)).toEqual([false, false, false]);
    expect(result.suppressions[0]).toMatchObject({
      state: 'expired',
      matched: 0,
      shownAgain: 2,
      daysLeft: -1,
    });
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'suppression-expired',
        severity: 'warning',
        message: expect.stringContaining('expired on 2026-12-31 — 2 findings shown again') as string,
      }),
    ]);
    // On its expiry day it still applies.
    expect(suppressedBy([raw({})], [breakglass], '2026-12-31')).toEqual([true]);
  });

  it('lists an unused suppression (active, matched nothing) and flags one expiring within 14 days', () => {
    const unused: Suppression = { ...breakglass, id: 'unused', principal: 'arn:aws:iam::*:user/nobody' };
    const soon: Suppression = { ...breakglass, id: 'soon', expires: '2026-12-05' };
    const later: Suppression = { ...breakglass, id: 'later', expires: '2026-12-06' };
    const { suppressions } = classify({
      findings: [raw({})],
      suppressions: [unused, soon, later],
      today: TODAY,
    });
    expect(suppressions.map((s) => [s.id, s.matched, s.daysLeft])).toEqual([
      ['unused', 0, 40],
      ['soon', 1, 14],
      ['later', 0, 15],
    ]);
    expect(expiringSoon(suppressions).map((s) => s.id)).toEqual(['soon']);
  });

  it('suppresses coverage findings by check id, account and region through the same stage', () => {
    const coverage = (accountId: string, region: string | null): CoverageFinding => ({
      checkId: 'trail-single-region-only',
      tier: 'review',
      risk: 'low',
      accountId,
      accountName: null,
      region,
      trailArn: null,
      summary: 'single region',
      suppressed: false,
    });
    const s: Suppression = {
      rule: 'trail-single-region-only',
      accountId: '444444444444',
      reason: 'sandbox being closed',
      expires: '2026-12-31',
    };
    const result = classify({
      findings: [],
      coverage: [coverage('444444444444', 'us-east-1'), coverage('555555555555', 'us-east-1')],
      suppressions: [s],
      today: TODAY,
    });
    expect(result.coverage.map((c) => c.suppressed)).toEqual([true, false]);
    expect(result.coverage[0]?.suppression?.reason).toBe('sandbox being closed');
    expect(result.suppressions[0]?.matched).toBe(1);
  });

  it('orders alerts before review items, then high risk first', () => {
    const { findings } = classify({
      findings: [
        raw({ ruleId: 'iam-change', tier: 'review', risk: 'low' }),
        raw({ ruleId: 'b', risk: 'medium' }),
        raw({ ruleId: 'a', risk: 'high' }),
      ],
      suppressions: [],
      today: TODAY,
    });
    expect(findings.map((f) => f.ruleId)).toEqual(['a', 'b', 'iam-change']);
  });
});

describe("classify: the config's tier and risk", () => {
  const rules = [{ id: 'console-login', risk: 'medium' as const }];

  it("replaces the rule file's tier and risk, before ordering and before suppressions are judged", () => {
    const { findings } = classify({
      findings: [
        raw({ eventId: 'login' }),
        raw({ ruleId: 'iam-change', tier: 'alert', risk: 'low', eventId: 'iam' }),
      ],
      suppressions: [],
      overrides: { 'console-login': { tier: 'review', risk: 'low' } },
      rules,
      today: TODAY,
    });
    expect(findings.map((f) => [f.eventId, f.tier, f.risk])).toEqual([
      ['iam', 'alert', 'low'],
      ['login', 'review', 'low'],
    ]);
  });

  it("keeps a row's own escalation (a risk other than the rule file's) and still applies the tier", () => {
    const { findings } = classify({
      findings: [raw({ risk: 'high', eventId: 'root' }), raw({ eventId: 'user' })],
      suppressions: [],
      overrides: { 'console-login': { tier: 'review', risk: 'low' } },
      rules,
      today: TODAY,
    });
    expect(findings.map((f) => [f.eventId, f.tier, f.risk])).toEqual([
      ['root', 'review', 'high'],
      ['user', 'review', 'low'],
    ]);
  });
});
