import { describe, expect, it } from 'vitest';
import { renderDigestEmail } from '../../src/report/email.js';
import { renderEvidenceHtml } from '../../src/report/evidence.js';
import { buildDigestModel } from '../../src/report/model/index.js';
import type { Finding, Novelty } from '../../src/model.js';
import { makeFinding, sampleReportInput, SAMPLE_RULES } from '../fixtures/sample-org.js';

const DEPLOY = 'arn:aws:sts::444444444444:assumed-role/github-actions-deploy';

/** The deploy role changing one role policy from three CI sessions, in two regions. */
function deployFindings(novelty: Novelty = 'unknown'): Finding[] {
  return [
    ['evt-a', `${DEPLOY}/run-1`, 'us-east-1', '2026-11-21T09:00:00Z'],
    ['evt-b', `${DEPLOY}/run-2`, 'eu-west-1', '2026-11-21T12:00:00Z'],
    ['evt-c', `${DEPLOY}/run-3`, 'us-east-1', '2026-11-21T15:30:00Z'],
  ].map(([eventId, principal, region, eventTime]) =>
    makeFinding({
      ruleId: 'iam-change',
      eventId: eventId as string,
      principal: principal as string,
      region: region as string,
      eventTime: eventTime as string,
      eventSource: 'iam.amazonaws.com',
      eventName: 'PutRolePolicy',
      summary: 'Inline policy put on role app',
      novelty,
    }),
  );
}

function withHistory(findings: Finding[], previousDays: number) {
  const input = sampleReportInput({ findings });
  return {
    ...input,
    facts: {
      ...input.facts,
      history: {
        date: '2026-11-21',
        days: 14,
        previousDays,
        source: previousDays ? 'out/history.json' : null,
      },
    },
  };
}

describe('digest rows: grouped findings', () => {
  it('shows one row per group with its count, first and last time, regions and the role for its sessions', () => {
    const model = buildDigestModel(sampleReportInput({ findings: deployFindings() }));
    const iam = model.reviewGroups.find((g) => g.ruleId === 'iam-change');

    expect(iam).toMatchObject({ count: 3, rows: 1 });
    expect(iam?.events[0]).toMatchObject({
      count: 3,
      time: '2026-11-21 09:00:00 UTC',
      lastTime: '2026-11-21 15:30:00 UTC',
      region: 'eu-west-1, us-east-1',
      principal: 'arn:aws:iam::444444444444:role/github-actions-deploy',
      eventIds: ['evt-a', 'evt-b', 'evt-c'],
      consoleUrl: 'https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/evt-a',
    });
  });

  it('keeps every event id behind a row in the evidence, and a console link for one of them in the email', async () => {
    const model = buildDigestModel(sampleReportInput({ findings: deployFindings() }));
    const evidence = renderEvidenceHtml(model);
    for (const id of ['evt-a', 'evt-b', 'evt-c']) expect(evidence).toContain(id);
    expect(evidence).toContain('3 events:');
    const email = await renderDigestEmail(model);
    expect(email.html).toContain('#/events/evt-a');
    expect(email.html).toContain('<b>3×</b>');
    expect(email.text).toContain('2026-11-21 09:00:00 UTC -> 2026-11-21 15:30:00 UTC · 3x');
  });

  it('does not merge different accounts or event names into one row', () => {
    const [a, b, c] = deployFindings();
    const model = buildDigestModel(
      sampleReportInput({
        findings: [
          a as Finding,
          { ...(b as Finding), accountId: '555555555555' },
          { ...(c as Finding), eventName: 'DeleteRolePolicy' },
        ],
      }),
    );
    expect(model.reviewGroups.find((g) => g.ruleId === 'iam-change')?.rows).toBe(3);
  });
});

describe('digest: what is new', () => {
  it('says the baseline is being built when there is no history yet', async () => {
    const model = buildDigestModel(withHistory(deployFindings('unknown'), 0));
    expect(model.novelty).toEqual({
      known: false,
      line: expect.stringContaining('No history yet: this run starts the baseline'),
    });
    expect(model.tally).not.toContain('new');
    const email = await renderDigestEmail(model);
    expect(email.html).toContain('No history yet: this run starts the baseline');
    expect(email.text).toContain('No history yet: this run starts the baseline');
  });

  it('leads with what is new: new rows in full first, a recurring row in one line, the count of new in the tally', async () => {
    const recurring = deployFindings('recurring');
    const fresh = makeFinding({
      ruleId: 'iam-change',
      eventId: 'evt-new',
      principal: 'arn:aws:iam::444444444444:user/svc-backup',
      eventSource: 'iam.amazonaws.com',
      eventName: 'AttachUserPolicy',
      summary: 'AdministratorAccess attached to user svc-backup',
      novelty: 'new',
    });
    const model = buildDigestModel(withHistory([...recurring, fresh], 3));
    const iam = model.reviewGroups.find((g) => g.ruleId === 'iam-change');

    expect(iam?.events.map((e) => [e.novelty, e.count])).toEqual([
      ['new', 1],
      ['recurring', 3],
    ]);
    expect(model.counts).toMatchObject({ review: 2, newRows: 1, recurringRows: 1, newAlerts: 0 });
    expect(model.novelty.line).toContain('not seen in the previous 14 days (history of 3 days found)');
    const email = await renderDigestEmail(model);
    const html = email.html;
    const newAt = html.indexOf('AdministratorAccess attached');
    const recurringAt = html.indexOf('Recurring (seen in the previous days):');
    expect(newAt).toBeGreaterThan(0);
    expect(recurringAt).toBeGreaterThan(newAt);
    // The recurring row is one line: no summary, one console link.
    const line = html.slice(recurringAt, html.indexOf('</p>', html.indexOf('</p>', recurringAt) + 4));
    expect(line).toContain(
      'arn:aws:iam::444444444444:role/github-actions-deploy → <code>iam:PutRolePolicy</code> · 3×',
    );
    expect(line).not.toContain('Inline policy put');
    expect(line).toContain('#/events/evt-a');
    expect(email.text).toContain(
      '  - arn:aws:iam::444444444444:role/github-actions-deploy -> iam:PutRolePolicy · 3x',
    );
  });

  it('puts a rule with something new before rules that only recur, and counts the new alerts in the tally', () => {
    const findings = [
      makeFinding({ ruleId: 'root-usage', eventId: 'r1', principal: 'root', novelty: 'recurring' }),
      makeFinding({
        ruleId: 'console-login-failure',
        eventId: 'c1',
        sourceIp: '203.0.113.9',
        novelty: 'new',
      }),
    ];
    const model = buildDigestModel(withHistory(findings, 1));
    expect(model.alertGroups.map((g) => g.ruleId)).toEqual(['console-login-failure', 'root-usage']);
    expect(model.tally).toMatch(/^2 alerts \(1 new\)/);
  });

  it('calls out a source IP never seen for the principal, in the email, the text part and the evidence', async () => {
    const login = makeFinding({
      ruleId: 'root-usage',
      eventId: 'evt-root-login',
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      principal: 'arn:aws:iam::444444444444:root',
      sourceIp: '45.155.205.12',
      novelty: 'new',
      newSourceIp: true,
    });
    const model = buildDigestModel(withHistory([login], 2));
    const email = await renderDigestEmail(model);
    expect(email.html).toContain('Source IP never seen for this principal: 45.155.205.12');
    expect(email.text).toContain('! Source IP never seen for this principal: 45.155.205.12');
    expect(renderEvidenceHtml(model)).toContain('never seen before: 45.155.205.12');
  });
});

describe('digest size with many hostile findings', () => {
  it('stays under 100 KB and never shows more than the cap of rows per rule, with every rule named', async () => {
    const cap = 10;
    const rules = SAMPLE_RULES.map((r) => r.id);
    const findings: Finding[] = [];
    for (let i = 0; i < 30_000; i += 1) {
      const hostile = `<script>alert(${i})</script>\u202e\u0000${'A'.repeat(i % 7 === 0 ? 5_000 : 40)}`;
      findings.push(
        makeFinding({
          ruleId: rules[i % rules.length] as string,
          eventId: `evt-${i}`,
          // Many distinct principals and calls: thousands of rows, not a handful of big ones.
          principal: `arn:aws:iam::444444444444:user/u${i % 3000}${hostile}`,
          eventName: `Call${i % 11}`,
          sourceIp: `198.51.${i % 250}.${i % 200}`,
          userAgent: hostile,
          summary: `summary ${hostile}`,
          novelty: i % 3 === 0 ? 'recurring' : 'new',
          newSourceIp: i % 5 === 0,
        }),
      );
    }
    const model = buildDigestModel({ ...withHistory(findings, 5), options: { maxEventsPerGroup: cap } });
    const email = await renderDigestEmail(model);

    expect(Buffer.byteLength(email.html, 'utf8')).toBeLessThan(100 * 1024);
    const groups = [...model.alertGroups, ...model.reviewGroups];
    expect(groups.reduce((n, g) => n + g.rows, 0)).toBeGreaterThan(1000);
    for (const g of groups) expect(g.shownEvents.length).toBeLessThanOrEqual(cap);
    const shownRows = (email.html.match(/View in the CloudTrail console|>console<\/a>/g) ?? []).length;
    expect(shownRows).toBeLessThanOrEqual(groups.length * cap);
    for (const rule of model.firedRules) expect(email.html).toContain(`(${rule.ruleId})`);
    expect(email.html).not.toMatch(/<script/i);
  }, 60_000);
});
