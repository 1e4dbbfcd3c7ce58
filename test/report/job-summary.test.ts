import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderJobSummary } from '../../src/report/job-summary.js';
import { buildDigestModel } from '../../src/report/model/index.js';
import { hostileReportInput } from '../fixtures/hostile.js';
import { sampleReportInput } from '../fixtures/sample-org.js';

describe('escapeMarkdown', () => {
  it('escapes HTML, Markdown punctuation, table pipes and workflow commands', () => {
    expect(escapeMarkdown('<b>x</b>')).toBe('&lt;b&gt;x&lt;/b&gt;');
    expect(escapeMarkdown('[a](javascript:x)')).toBe('\\[a\\]\\(javascript\\:x\\)');
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    expect(escapeMarkdown('::error::x')).not.toContain('::');
    expect(escapeMarkdown('one\ntwo')).toBe('one two');
  });
});

describe('renderJobSummary', () => {
  it('lists the counts, every fired rule and the coverage problem', () => {
    const markdown = renderJobSummary(buildDigestModel(sampleReportInput()));

    expect(markdown).toContain('**16 alerts, 2 to review, 1 trail problem — Acme Corp — 2026\\-11\\-21**');
    for (const id of ['trail-tampering', 'root-usage', 'console-login-failure', 'iam-change']) {
      expect(markdown).toContain(id.replace(/-/g, '\\-'));
    }
    expect(markdown).toContain('trail\\-region\\-uncovered · acme\\-dev (555555555555) · ap\\-southeast\\-2');
  });

  it('leaves no markup, link or workflow command from a hostile log', () => {
    const base = hostileReportInput(9);
    const model = buildDigestModel({
      ...base,
      facts: { ...base.facts, organization: '::set-output name=x::<img src=x onerror=alert(1)>' },
      errors: [
        {
          scope: 'account',
          id: '444444444444',
          code: 'account-failed',
          message: '<script>alert(1)</script> ::warning::',
        },
      ],
    });
    const markdown = renderJobSummary(model);

    expect(markdown).not.toMatch(/<(?!br)[a-z]/i);
    expect(markdown).not.toContain('::');
    expect(markdown).toContain('&lt;script&gt;alert\\(1\\)&lt;/script&gt;');
  });
});
