import { describe, expect, it } from 'vitest';
import {
  buildDigestModel,
  display,
  formatBytes,
  safeUrl,
  withLateProblems,
} from '../../src/report/model/index.js';
import type { RunErrorEntry } from '../../src/shared/errors.js';
import { athenaCost } from '../../src/shared/athena-cost.js';
import { cleanReportInput, makeFinding, sampleReportInput, withGroups } from '../fixtures/sample-org.js';

describe('buildDigestModel', () => {
  it('puts alerts before review items, high risk first, and counts each tier', () => {
    const model = buildDigestModel(sampleReportInput());

    expect(model.alertGroups.map((g) => g.ruleId)).toEqual([
      'root-usage',
      'trail-tampering',
      'console-login-failure',
    ]);
    expect(model.reviewGroups.map((g) => g.ruleId)).toEqual(['s3-bucket-policy-change', 'iam-change']);
    // Rows, not findings: the three identical iam-change findings (one principal, call and account) are one row.
    expect(model.counts).toMatchObject({
      alerts: 16,
      review: 2,
      alertFindings: 16,
      reviewFindings: 4,
      suppressed: 1,
      coverageProblems: 1,
      notAudited: 0,
    });
    expect(model.firedRules.map((r) => `${r.ruleId}:${r.count}`)).toEqual([
      'root-usage:1',
      'trail-tampering:1',
      'console-login-failure:14',
      's3-bucket-policy-change:1',
      'iam-change:3',
    ]);
  });

  it('carries the rule text into each group and caps the events shown, counting the rest', () => {
    const model = buildDigestModel(sampleReportInput());
    const logins = model.alertGroups.find((g) => g.ruleId === 'console-login-failure');

    expect(logins?.title).toBe('Repeated console sign-in failures');
    expect(logins?.why).toContain('password guessing');
    expect(logins?.events).toHaveLength(14);
    expect(logins?.shownEvents).toHaveLength(10);
    expect(logins?.moreCount).toBe(4);
    expect(logins?.shownEvents[0]).toMatchObject({
      time: '2026-11-21 04:10:00 UTC',
      accountId: '555555555555',
      accountName: 'acme-dev',
      region: 'us-east-1',
      action: 'signin:ConsoleLogin',
      sourceIp: '198.51.100.1',
    });
  });

  it('builds the subject from the counts, the organization and the audited day', () => {
    const input = sampleReportInput({ coverage: [] });

    expect(buildDigestModel(input).subject).toBe('16 alerts, 2 to review — Acme Corp — 2026-11-21');
    expect(buildDigestModel(sampleReportInput()).subject).toBe(
      '16 alerts, 2 to review, 1 trail problem — Acme Corp — 2026-11-21',
    );
  });

  it('keeps suppressed findings out of the groups but lists them with reason and expiry', () => {
    const model = buildDigestModel(sampleReportInput());

    expect(
      model.alertGroups.concat(model.reviewGroups).flatMap((g) => g.events.map((e) => e.eventId)),
    ).not.toContain('evt-iam-suppressed');
    expect(model.suppressedGroups[0]?.events[0]).toMatchObject({
      eventId: 'evt-iam-suppressed',
      suppressionReason: 'Terraform pipeline changes are reviewed in pull requests',
      suppressionExpires: '2027-03-31',
    });
  });

  it('says a clean day in one line', () => {
    const model = buildDigestModel(cleanReportInput());

    expect(model.clean).toBe(true);
    expect(model.cleanLine).toBe(
      'All clear: no alerts, nothing to review, and every trail in place (5 of 5 accounts and 20 of 20 account-regions fully covered).',
    );
    expect(model.subject).toBe('All clear — Acme Corp — 2026-11-21');
  });

  it('never says All clear when alerts were suppressed: "0 unsuppressed alerts — N suppressed"', () => {
    const suppression = {
      id: 'drill',
      index: 0,
      reason: 'break-glass drill',
      owner: 'sec@example.com',
      expires: '2026-12-31',
    };
    const hidden = [1, 2, 3, 4, 5, 6].map((i) =>
      makeFinding({ ruleId: 'root-usage', eventId: `root-${i}`, suppressed: true, suppression }),
    );
    const model = buildDigestModel(withGroups({ ...cleanReportInput(), findings: hidden }));

    expect(model.clean).toBe(false);
    expect(model.cleanLine).toBe('');
    expect(model.tally).toBe('0 unsuppressed alerts — 6 suppressed');
    expect(model.subject).toBe('0 unsuppressed alerts — 6 suppressed — Acme Corp — 2026-11-21');
    expect(model.suppressed.alerts).toBe(6);
    expect(model.suppressedGroups[0]?.events[0]).toMatchObject({
      suppressionId: 'drill',
      suppressionOwner: 'sec@example.com',
      suppressionExpires: '2026-12-31',
    });
  });

  it('sorts configured suppressions into expired, expiring within 14 days and unused', () => {
    const status = (id: string, over: object) => ({
      id,
      index: 0,
      rule: 'root-usage',
      match: { accountId: '111111111111' },
      reason: 'r',
      owner: null,
      expires: '2026-12-31',
      state: 'active' as const,
      matched: 1,
      shownAgain: 0,
      daysLeft: 40,
      ...over,
    });
    const model = buildDigestModel({
      ...cleanReportInput(),
      suppressions: [
        status('gone', { state: 'expired', expires: '2026-11-01', matched: 0, shownAgain: 4, daysLeft: -20 }),
        status('soon', { daysLeft: 14 }),
        status('idle', { matched: 0 }),
        status('fine', {}),
      ],
    });
    expect(model.suppressed.expired.map((s) => [s.id, s.shownAgain])).toEqual([['gone', 4]]);
    expect(model.suppressed.expiringSoon.map((s) => s.id)).toEqual(['soon']);
    expect(model.suppressed.unused.map((s) => s.id)).toEqual(['idle']);
    expect(model.suppressed.all.map((s) => s.id)).toEqual(['gone', 'soon', 'idle', 'fine']);
    expect(model.suppressed.all[0]?.match).toBe('accountId 111111111111');
  });

  it('marks the audit incomplete and lists what was not audited, with the reason', () => {
    const base = sampleReportInput();
    const rules = base.facts.rules.map((r) =>
      r.ruleId === 'root-usage' ? { ...r, status: 'failed' as const, reason: 'engine timeout' } : r,
    );
    const model = buildDigestModel(
      sampleReportInput({
        facts: { ...base.facts, rules, complete: false },
        errors: [
          { scope: 'account', id: '333333333333', code: 'assume-role-denied', message: 'AccessDenied' },
          { scope: 'report', id: 'evidence.pdf', code: 'pdf-browser-missing', message: 'no browser' },
        ],
      }),
    );

    expect(model.complete).toBe(false);
    expect(model.clean).toBe(false);
    expect(model.headline).toContain('INCOMPLETE');
    expect(model.subject).toContain('(audit incomplete)');
    expect(model.notAudited).toEqual([
      {
        scope: 'account',
        id: '333333333333',
        label: 'account 333333333333 (acme-security)',
        code: 'assume-role-denied',
        reason: 'AccessDenied',
      },
      {
        scope: 'rule',
        id: 'root-usage',
        label: 'rule root-usage (Root user activity)',
        code: 'rule-failed',
        reason: 'engine timeout',
      },
    ]);
    expect(model.reportProblems.map((p) => p.code)).toEqual(['pdf-browser-missing']);
    expect(model.accounts.notAudited.map((a) => a.id)).toEqual(['333333333333']);
  });

  it('does not call a run incomplete because the PDF could not be printed', () => {
    const model = buildDigestModel(
      sampleReportInput({
        errors: [{ scope: 'report', id: 'evidence.pdf', code: 'pdf-failed', message: 'crashed' }],
      }),
    );

    expect(model.complete).toBe(true);
    expect(model.reportProblems).toHaveLength(1);
  });

  it('lists warnings apart: said, but the audit stays complete', () => {
    const warning: RunErrorEntry = {
      scope: 'file',
      id: 'a.json.gz',
      code: 'records-incomplete',
      message: '3 records lacked eventID',
      severity: 'warning',
    };
    const model = buildDigestModel(
      sampleReportInput({
        errors: [warning],
      }),
    );

    expect(model.complete).toBe(true);
    expect(model.notAudited).toEqual([]);
    expect(model.warnings).toEqual([
      {
        scope: 'file',
        id: 'a.json.gz',
        label: 'file a.json.gz',
        code: 'records-incomplete',
        reason: '3 records lacked eventID',
      },
    ]);
  });

  it('lays out the coverage matrix with accounts down and regions across', () => {
    const model = buildDigestModel(sampleReportInput());

    expect(model.matrix.regions).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1', 'us-west-2']);
    const dev = model.matrix.rows.find((r) => r.accountId === '555555555555');
    expect(dev?.cells.map((c) => c.status)).toEqual(['problem', 'covered', 'covered', 'covered']);
    expect(model.counts.coverageOk).toBe(19);
  });

  it('prices Athena scans as Athena bills them (the staging CTAS plus every rule query) and the local engine as free', () => {
    const base = sampleReportInput();
    const athena = (bytes: number[], usdPerTerabyte: number) =>
      buildDigestModel(
        sampleReportInput({
          facts: { ...base.facts, engine: 'athena', athenaCost: athenaCost(bytes, usdPerTerabyte) },
        }),
      ).facts;

    // Six small queries: each billed at Athena's 10 MB minimum, 60 MiB at $5 per TB.
    const small = athena([1_000, 1_200_000, 1_200_000, 1_200_000, 1_200_000, 1_200_000], 5);
    expect(small.cost).toBe('$0.0003 (6 queries at $5/TB, billed 60.0 MB: at least 10 MB each)');
    expect(small.queriesRun).toBe(5);
    expect(small.dataScanned).toBe('10.7 MB');
    // 2 TB staged plus one rule, at a configured $6.25 per TB: the configured price is the one used.
    expect(athena([2_000_000_000_000, 1_200_000], 6.25).cost).toMatch(
      /^\$12\.5\d{3} \(2 queries at \$6\.25\/TB,/,
    );
    // An Athena run whose cost was not recorded says so rather than printing $0.
    expect(
      buildDigestModel(sampleReportInput({ facts: { ...base.facts, engine: 'athena' } })).facts.cost,
    ).toBe('not known');
    expect(buildDigestModel(base).facts.cost).toBe('$0 (local engine)');
    expect(buildDigestModel(base).facts.duration).toBe('12.5 s');
  });

  it('turns invisible characters into visible escapes and clips huge values', () => {
    const model = buildDigestModel(
      sampleReportInput({
        findings: [
          makeFinding({ ruleId: 'root-usage', principal: 'a\u202Eb', summary: 'x'.repeat(100_000) }),
        ],
      }),
    );
    const event = model.alertGroups[0]?.events[0];

    expect(event?.principal).toBe('a\\u202eb');
    expect(event?.summary.length).toBeLessThan(600);
    expect(event?.summary).toContain('99,500 more characters in findings.json');
  });
});

describe('helpers', () => {
  it('display shows a dash for missing values', () => {
    expect(display(null)).toBe('—');
    expect(display('')).toBe('—');
  });

  it('withLateProblems adds a failed delivery like any run error, its message made inert', () => {
    const model = buildDigestModel(sampleReportInput());
    const late = withLateProblems(model, [
      { scope: 'delivery', id: 'email', code: 'email-send-failed', message: 'refused\u001b[2J::error::x' },
    ]);

    expect(late.reportProblems.slice(model.reportProblems.length)).toEqual([
      {
        scope: 'delivery',
        id: 'email',
        label: 'delivery email',
        code: 'email-send-failed',
        reason: display('refused\u001b[2J::error::x'),
      },
    ]);
    expect(late.reportProblems.at(-1)?.reason).not.toContain('\u001b');
    expect(withLateProblems(model, [])).toBe(model);
  });

  it('safeUrl keeps http(s) links only', () => {
    expect(safeUrl('https://github.com/a/b/actions/runs/1')).toBe('https://github.com/a/b/actions/runs/1');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('data:text/html,<b>x</b>')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
  });

  it('formatBytes uses binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
  });
});

describe('reportInputFromRun', () => {
  it('takes findings.json and the coverage picture into report input', async () => {
    const { reportInputFromRun } = await import('../../src/report/index.js');
    const sample = sampleReportInput();
    const input = reportInputFromRun(
      {
        doc: {
          run: sample.facts,
          findings: sample.findings,
          coverage: sample.coverage,
          coverageSummary: sample.coverageSummary,
          errors: [],
        },
        groups: sample.groups,
        rules: sample.rules,
        findingsSha256: 'b'.repeat(64),
        coverage: { matrix: sample.coverageMatrix, accounts: sample.accounts },
      },
      { maxEventsPerGroup: 5, generatedAt: '2026-11-22T06:00:13Z' },
    );

    expect(input).toEqual({ ...sample, findingsSha256: 'b'.repeat(64), options: { maxEventsPerGroup: 5 } });
  });
});

describe('groups by tier as well as rule', () => {
  it('shows a row-escalated finding among the alerts and the rule’s other findings among the review items', () => {
    const findings = [
      makeFinding({
        ruleId: 'rds-snapshot-activity',
        tier: 'alert',
        risk: 'high',
        eventId: 'shared-publicly',
      }),
      makeFinding({ ruleId: 'rds-snapshot-activity', tier: 'review', risk: 'medium', eventId: 'created' }),
    ];
    const model = buildDigestModel(sampleReportInput({ findings }));
    expect(model.alertGroups.map((g) => [g.ruleId, g.count, g.risk])).toEqual([
      ['rds-snapshot-activity', 1, 'high'],
    ]);
    expect(model.reviewGroups.map((g) => [g.ruleId, g.count, g.risk])).toEqual([
      ['rds-snapshot-activity', 1, 'medium'],
    ]);
  });
});
