import { describe, expect, it } from 'vitest';
import { syntheticReportInput } from '../../bench/report.js';
import { buildDigestModel } from '../../src/report/model/index.js';
import { EMAIL_HTML_BUDGET, renderDigestEmail } from '../../src/report/email.js';
import { hostileReportInput } from '../fixtures/hostile.js';
import { cleanReportInput, sampleReportInput } from '../fixtures/sample-org.js';

function hrefs(html: string): string[] {
  return [...html.matchAll(/\shref\s*=\s*"([^"]*)"/gi)].map((m) => m[1] ?? '');
}

// A CloudTrail console link as the template writes it (Handlebars escapes "=" in attributes).
const CONSOLE_LINK =
  /^https:\/\/[a-z0-9-]+\.console\.aws\.amazon\.com\/cloudtrail\/home\?region&#x3D;[a-z0-9-]+#\/events\/[A-Za-z0-9%._~!*'()-]+$/;

describe('renderDigestEmail', () => {
  it('shows alerts, then review items, coverage, suppressed and run facts', async () => {
    const email = await renderDigestEmail(buildDigestModel(sampleReportInput()));
    let from = 0;
    const order = [
      'Alerts — act now (16)',
      'Root user activity',
      'Repeated console sign-in failures',
      'To review in the next day or two (2)',
      'IAM policy or user changed',
      'Trail coverage',
      'trail-region-uncovered',
      'Suppressed',
      'Run facts',
    ].map((text) => {
      from = email.html.indexOf(text, from);
      return from;
    });

    expect(email.subject).toBe('16 alerts, 2 to review, 1 trail problem — Acme Corp — 2026-11-21');
    expect(order.every((index) => index >= 0)).toBe(true);
    expect(email.html).toContain('4 more rows in evidence.pdf.');
    expect(email.html).toContain('Why it matters:');
    expect(email.html).toContain('acme-dev (555555555555) · ap-southeast-2');
    expect(email.html).toContain('1 finding suppressed by configuration');
    const links = hrefs(email.html);
    expect(links.filter((h) => !CONSOLE_LINK.test(h))).toEqual([
      'https://github.com/acme/audit/actions/runs/42',
    ]);
    expect(links).toContain(
      'https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region&#x3D;eu-west-1#/events/evt-root-1',
    );
  });

  it('writes a plain-text part with the same content', async () => {
    const email = await renderDigestEmail(buildDigestModel(sampleReportInput()));

    expect(email.text).toContain('ALERTS — ACT NOW (16)');
    expect(email.text).toContain('[HIGH] Trail logging stopped or deleted (trail-tampering) — 1');
    expect(email.text).toContain('4 more rows in evidence.pdf.');
    expect(email.text).toContain(
      '    https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/events/evt-root-1\n',
    );
    expect(email.text).toContain('trail-region-uncovered · acme-dev (555555555555) · ap-southeast-2');
    expect(email.text).toContain('CI run:       https://github.com/acme/audit/actions/runs/42');
    expect(email.text).not.toMatch(/&lt;|&amp;|<p|<b>/);
  });

  it('says which suppressions expired (and what they show again) and which expire within 14 days', async () => {
    const base = {
      index: 0,
      rule: 'console-login',
      match: {},
      reason: 'r',
      owner: 'sec@example.com',
      matched: 0,
      shownAgain: 0,
    };
    const email = await renderDigestEmail(
      buildDigestModel({
        ...sampleReportInput(),
        suppressions: [
          { ...base, id: 'old-drill', state: 'expired', expires: '2026-11-01', shownAgain: 4, daysLeft: -20 },
          { ...base, id: 'office-ip', state: 'active', expires: '2026-11-30', matched: 2, daysLeft: 9 },
        ],
      }),
    );
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Suppression old-drill');
      expect(part).toContain('expired on 2026-11-01 — 4 findings shown again');
      expect(part).toContain('Suppression office-ip');
      expect(part).toContain('expires on 2026-11-30 (in 9 days)');
    }
  });

  it('says a clean day in one line', async () => {
    const email = await renderDigestEmail(buildDigestModel(cleanReportInput()));

    expect(email.html).toContain(
      'All clear: no alerts, nothing to review, and every trail in place (5 of 5 accounts and 20 of 20 account-regions fully covered).',
    );
    expect(email.html).not.toContain('Alerts — act now');
    expect(email.text).toContain('All clear: no alerts');
  });

  it('does not claim trails are fine when the run only scanned log files', async () => {
    const email = await renderDigestEmail(
      buildDigestModel(
        sampleReportInput({
          findings: [],
          coverage: [],
          coverageSummary: undefined,
          coverageMatrix: undefined,
          accounts: undefined,
        }),
      ),
    );

    expect(email.html).toContain(
      'All clear: no alerts and nothing to review. Trail coverage was not audited in this run.',
    );
    expect(email.html).toContain('Not audited in this run: only log files were scanned.');
    expect(email.html).not.toContain('No problems.');
    expect(email.text).toContain('Not audited in this run: only log files were scanned.');
  });

  it('shows hostile log values as inert text: no tags, MJML, links or template output from data', async () => {
    const email = await renderDigestEmail(buildDigestModel(hostileReportInput(9)));

    expect(email.html).not.toMatch(/<script/i);
    expect(email.html).not.toMatch(/<mj-/i);
    expect(email.html).not.toMatch(/<img/i);
    expect(email.html).not.toMatch(/onerror=/i);
    // Only the run's link and console links built from plausible regions and encoded event ids.
    expect(hrefs(email.html).filter((h) => !CONSOLE_LINK.test(h))).toEqual([
      'https://github.com/acme/audit/actions/runs/42',
    ]);
    expect(email.html).toContain('&lt;script&gt;document.title&#x3D;&quot;pwned&quot;&lt;/script&gt;');
    expect(email.html).toContain('&lt;/mj-text&gt;&lt;mj-raw&gt;');
    expect(email.html).toContain('{{constructor.constructor');
    expect(email.html).toContain('javascript:alert(document.cookie)');
    expect(email.html).toContain('user\\u202egpj.exe\\u200b\\u2066hidden\\u2069');
    expect(email.html).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b]/);
    expect(email.text).toContain('<script>document.title="pwned"</script>');
    expect(Buffer.byteLength(email.html)).toBeLessThan(EMAIL_HTML_BUDGET);
  });

  it('keeps a hostile organization name inert in the title, preview and header', async () => {
    const base = sampleReportInput();
    const organization = '</title><script>alert(1)</script><mj-raw>x</mj-raw>';
    const email = await renderDigestEmail(
      buildDigestModel(sampleReportInput({ facts: { ...base.facts, organization } })),
    );

    expect(email.html).not.toMatch(/<script|<mj-raw/i);
    expect(email.html.match(/<\/title>/g)).toHaveLength(1);
    expect(email.html).toContain(
      '&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;mj-raw&gt;x&lt;/mj-raw&gt;',
    );
    expect(email.subject).toContain(organization);
  });

  it('stays under 100 KB with 10,000 findings and still names every rule that fired with its count', async () => {
    const model = buildDigestModel(syntheticReportInput(10_000, 20, 200));
    const email = await renderDigestEmail(model);

    expect(Buffer.byteLength(email.html, 'utf8')).toBeLessThan(100 * 1024);
    expect(model.firedRules).toHaveLength(20);
    for (const rule of model.firedRules) {
      expect(email.html).toContain(`(${rule.ruleId})</span> — ${rule.count.toLocaleString('en-US')}`);
      expect(email.text).toContain(`(${rule.ruleId}) — ${rule.count.toLocaleString('en-US')}`);
    }
    expect(email.html).toMatch(/more in evidence\.pdf/);
  });

  it('summarises rather than drops when even the rule groups do not fit', async () => {
    const model = buildDigestModel(syntheticReportInput(20_000, 400, 50));
    const email = await renderDigestEmail(model);

    expect(Buffer.byteLength(email.html, 'utf8')).toBeLessThan(100 * 1024);
    expect(model.firedRules.length).toBeGreaterThan(300);
    for (const rule of model.firedRules) {
      expect(email.html).toContain(`(${rule.ruleId}) — ${rule.count.toLocaleString('en-US')}`);
    }
    expect(email.html).toMatch(/Details of \d+ more rules/);
  });
});
