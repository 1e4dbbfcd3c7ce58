import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GROUPING,
  groupFindings,
  groupingOfRules,
  groupKeyOf,
  keyValue,
} from '../../src/classify/group.js';
import type { Finding } from '../../src/model.js';

function finding(over: Partial<Finding>): Finding {
  return {
    ruleId: 'iam-change',
    tier: 'review',
    risk: 'low',
    eventId: 'e1',
    eventTime: '2026-11-20T10:00:00Z',
    accountId: '444444444444',
    region: 'us-east-1',
    eventSource: 'iam.amazonaws.com',
    eventName: 'PutRolePolicy',
    principal: 'arn:aws:sts::444444444444:assumed-role/github-actions-deploy/GitHubActions',
    sourceIp: '192.0.2.10',
    userAgent: 'Terraform/1.9.8',
    errorCode: null,
    summary: 'inline policy put',
    suppressed: false,
    ...over,
  };
}

const grouping = groupingOfRules([
  { id: 'console-login-failure', grouping: { by: ['principal', 'sourceIp'], newSourceIp: false } },
]);

describe('grouping', () => {
  it('collapses one role’s sessions doing the same thing in one account into one group with count, times and regions', () => {
    const groups = groupFindings(
      [
        finding({ eventId: 'a', eventTime: '2026-11-20T12:00:00Z', region: 'eu-west-1' }),
        finding({
          eventId: 'b',
          eventTime: '2026-11-20T09:00:00Z',
          principal: 'arn:aws:sts::444444444444:assumed-role/github-actions-deploy/run-2',
        }),
        finding({ eventId: 'c', eventTime: '2026-11-20T15:30:00Z', risk: 'medium' }),
      ],
      grouping,
    );
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      ruleId: 'iam-change',
      count: 3,
      risk: 'medium',
      firstTime: '2026-11-20T09:00:00Z',
      lastTime: '2026-11-20T15:30:00Z',
      regions: ['eu-west-1', 'us-east-1'],
      accounts: ['444444444444'],
      eventIds: ['b', 'a', 'c'],
      key: {
        rule: 'iam-change',
        principal: 'arn:aws:iam::444444444444:role/github-actions-deploy',
        eventName: 'PutRolePolicy',
        accountId: '444444444444',
      },
    });
  });

  it('does not merge another account, another event name, another rule, another tier or suppressed with shown', () => {
    const groups = groupFindings(
      [
        finding({ eventId: 'base' }),
        finding({ eventId: 'other-account', accountId: '555555555555' }),
        finding({ eventId: 'other-event', eventName: 'AttachRolePolicy' }),
        finding({ eventId: 'other-rule', ruleId: 'iam-critical-change' }),
        finding({ eventId: 'other-tier', tier: 'alert' }),
        finding({ eventId: 'suppressed', suppressed: true }),
        finding({ eventId: 'other-role', principal: 'arn:aws:sts::444444444444:assumed-role/other/x' }),
      ],
      grouping,
    );
    expect(groups.map((g) => g.eventIds)).toEqual([
      ['base'],
      ['other-account'],
      ['other-event'],
      ['other-rule'],
      ['other-tier'],
      ['suppressed'],
      ['other-role'],
    ]);
  });

  it('groups a threshold rule by principal and source IP, across event names and accounts', () => {
    const login = (id: string, principal: string, ip: string, accountId = '444444444444'): Finding =>
      finding({
        ruleId: 'console-login-failure',
        tier: 'alert',
        eventId: id,
        eventIds: [id, `${id}-2`],
        principal,
        sourceIp: ip,
        accountId,
        eventName: 'ConsoleLogin',
      });
    const groups = groupFindings(
      [
        login('a', 'erin.walsh', '45.155.205.12'),
        login('b', 'erin.walsh', '45.155.205.12', '555555555555'),
        login('c', 'erin.walsh', '203.0.113.9'),
        login('d', 'admin', '45.155.205.12'),
      ],
      grouping,
    );
    expect(groups.map((g) => [g.key.principal, g.key.sourceIp, g.count, g.eventIds])).toEqual([
      ['erin.walsh', '45.155.205.12', 2, ['a', 'a-2', 'b', 'b-2']],
      ['erin.walsh', '203.0.113.9', 1, ['c', 'c-2']],
      ['admin', '45.155.205.12', 1, ['d', 'd-2']],
    ]);
    expect(groups[0]?.accounts).toEqual(['444444444444', '555555555555']);
    expect(groups[0]?.key).not.toHaveProperty('eventName');
  });

  it('keeps a hostile, very long principal out of the key as its hash', () => {
    const long = `arn:aws:iam::444444444444:user/${'x'.repeat(10_000)}`;
    const key = groupKeyOf(finding({ principal: long }), DEFAULT_GROUPING.by);
    expect(key.principal).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(keyValue('short')).toBe('short');
  });
});
