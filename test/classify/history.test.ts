import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { groupingOfRules } from '../../src/classify/group.js';
import { historyDay, lookback, nextHistory, parseHistory, type History } from '../../src/classify/history.js';
import type { RawFinding } from '../../src/rules/evaluate.js';

function raw(over: Partial<RawFinding>): RawFinding {
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
    ...over,
  };
}

const grouping = groupingOfRules([
  { id: 'console-login', grouping: { newSourceIp: true } },
  { id: 'console-login-failure', grouping: { by: ['principal', 'sourceIp'], newSourceIp: false } },
]);

/** Runs classify for `date` against `history` the way scan does, and returns findings and the next history. */
function day(date: string, findings: RawFinding[], history: History | null, days = 14) {
  const out = classify({
    findings,
    suppressions: [],
    today: date,
    grouping,
    previousDays: lookback(history, date, days),
  });
  return {
    findings: out.findings,
    history: nextHistory(history, historyDay(date, out.findings, grouping), days),
  };
}

describe('novelty', () => {
  it('is unknown on the first run, then recurring for a group seen before and new for one not seen', () => {
    const first = day('2026-11-19', [raw({ eventId: 'routine-1' })], null);
    expect(first.findings.map((f) => f.novelty)).toEqual(['unknown']);
    const second = day(
      '2026-11-20',
      [
        // Another session of the same role, same call, same account: the same group.
        raw({
          eventId: 'routine-2',
          principal: 'arn:aws:sts::444444444444:assumed-role/github-actions-deploy/run-77',
        }),
        raw({ eventId: 'new-event', eventName: 'DeleteRolePolicy' }),
        raw({ eventId: 'new-account', accountId: '555555555555' }),
      ],
      first.history,
    );
    expect(Object.fromEntries(second.findings.map((f) => [f.eventId, f.novelty]))).toEqual({
      'routine-2': 'recurring',
      'new-event': 'new',
      'new-account': 'new',
    });
  });

  it('forgets what is older than history.days, and prunes it from the history it carries forward', () => {
    const old = day('2026-11-01', [raw({})], null).history;
    const later = day('2026-11-20', [raw({ eventId: 'again' })], old, 14);
    expect(later.findings[0]?.novelty).toBe('unknown');
    expect(later.history.days.map((d) => d.date)).toEqual(['2026-11-20']);
    const within = day('2026-11-10', [raw({ eventId: 'again' })], old, 14);
    expect(within.findings[0]?.novelty).toBe('recurring');
    expect(within.history.days.map((d) => d.date)).toEqual(['2026-11-01', '2026-11-10']);
  });

  it('re-running a day replaces that day in the history and does not count it as a previous day', () => {
    const first = day('2026-11-20', [raw({})], null).history;
    const rerun = day('2026-11-20', [raw({ eventId: 'x', eventName: 'TagRole' })], first);
    expect(rerun.findings[0]?.novelty).toBe('unknown');
    expect(rerun.history.days).toHaveLength(1);
    expect(rerun.history.days[0]?.groups.map((g) => g.eventName)).toEqual(['TagRole']);
  });

  it('groups a threshold rule’s history by principal and source IP', () => {
    const fail = (ip: string) =>
      raw({
        ruleId: 'console-login-failure',
        tier: 'alert',
        principal: 'admin',
        sourceIp: ip,
        eventName: 'ConsoleLogin',
      });
    const first = day('2026-11-19', [fail('45.155.205.12')], null);
    const second = day('2026-11-20', [fail('45.155.205.12'), fail('185.220.101.47')], first.history);
    expect(second.findings.map((f) => [f.sourceIp, f.novelty])).toEqual([
      ['45.155.205.12', 'recurring'],
      ['185.220.101.47', 'new'],
    ]);
  });
});

describe('new source IP of a watched principal', () => {
  const login = (ip: string, principal = 'arn:aws:iam::111111111111:user/maria.garcia') =>
    raw({ ruleId: 'console-login', tier: 'alert', eventName: 'ConsoleLogin', principal, sourceIp: ip });

  it('calls out an address never seen for that principal, not one seen before, nor another rule’s', () => {
    const first = day('2026-11-19', [login('198.51.100.20'), raw({ sourceIp: '203.0.113.99' })], null);
    // The first run has no history: nothing is called out.
    expect(first.findings.some((f) => f.newSourceIp)).toBe(false);
    const second = day(
      '2026-11-20',
      [
        login('198.51.100.20'),
        login('203.0.113.99'),
        login('198.51.100.20', 'arn:aws:iam::111111111111:user/someone-else'),
        raw({ sourceIp: '45.155.205.12' }),
        login('console.amazonaws.com'),
      ],
      first.history,
    );
    expect(
      second.findings.map((f) => [f.principal?.split('/').pop(), f.sourceIp, f.newSourceIp ?? false]),
    ).toEqual([
      ['maria.garcia', '198.51.100.20', false],
      ['maria.garcia', '203.0.113.99', true],
      ['someone-else', '198.51.100.20', true],
      ['maria.garcia', 'console.amazonaws.com', false],
      ['GitHubActions', '45.155.205.12', false],
    ]);
    // The group itself recurs; only its address is new.
    expect(second.findings[1]?.novelty).toBe('recurring');
  });
});

describe('the history file', () => {
  it('holds group keys, counts and watched source IPs only: no user agent, request parameter or summary', () => {
    const hostileAgent = 'Mozilla/5.0 <script>alert(1)</script> \u202e secret-user-agent';
    const findings = Array.from({ length: 50 }, (_, i) =>
      raw({
        eventId: `e${i}`,
        ruleId: i % 2 ? 'console-login' : 'iam-change',
        userAgent: `${hostileAgent} ${i}`,
        summary: `requestParameters {"policyDocument":"secret-policy-${i}"}`,
        errorCode: 'AccessDenied-secret',
      }),
    );
    const { history } = day('2026-11-20', findings, null);
    const text = JSON.stringify(history);
    expect(text).not.toMatch(/secret|Mozilla|script|policyDocument|e\d+"/);
    expect(history.days[0]?.groups).toEqual([
      {
        rule: 'console-login',
        principal: 'arn:aws:iam::444444444444:role/github-actions-deploy',
        eventName: 'PutRolePolicy',
        accountId: '444444444444',
        count: 25,
      },
      {
        rule: 'iam-change',
        principal: 'arn:aws:iam::444444444444:role/github-actions-deploy',
        eventName: 'PutRolePolicy',
        accountId: '444444444444',
        count: 25,
      },
    ]);
    expect(history.days[0]?.sourceIps).toEqual([
      { principal: 'arn:aws:iam::444444444444:role/github-actions-deploy', ips: ['192.0.2.10'] },
    ]);
  });

  it('parses what it writes and refuses another format or a broken file, saying where', () => {
    const { history } = day('2026-11-20', [raw({})], null);
    expect(parseHistory(JSON.stringify(history))).toEqual({ history });
    expect(parseHistory('{"format":"other","days":[]}')).toEqual({
      problem: expect.stringContaining('format'),
    });
    expect(parseHistory('not json')).toEqual({ problem: expect.stringContaining('not JSON') });
    expect(
      parseHistory(JSON.stringify({ ...history, days: [{ date: 'yesterday', groups: [], sourceIps: [] }] })),
    ).toEqual({ problem: expect.stringContaining('days.0.date') });
  });
});
