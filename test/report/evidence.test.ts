import { describe, expect, it } from 'vitest';
import { buildDigestModel } from '../../src/report/model/index.js';
import { EVIDENCE_SECTIONS, renderEvidenceHtml } from '../../src/report/evidence.js';
import { hostileReportInput } from '../fixtures/hostile.js';
import { sampleReportInput } from '../fixtures/sample-org.js';

describe('renderEvidenceHtml', () => {
  it('prints repeated table headers, page rules and a policy that forbids loading anything', () => {
    const html = renderEvidenceHtml(buildDigestModel(sampleReportInput()));

    expect(html).toContain('thead {\n  display: table-header-group;');
    expect(html).toContain('@page');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    for (const section of EVIDENCE_SECTIONS) expect(html).toContain(`id="${section.id}"`);
  });

  it('lists every rule with its SQL, every finding and the suppression reason', () => {
    const html = renderEvidenceHtml(buildDigestModel(sampleReportInput()));

    expect(html).toContain('FROM cloudtrail_logs');
    expect(html).toContain('duckdb-trail-tampering');
    for (let i = 0; i < 14; i += 1) expect(html).toContain(`evt-login-${i}<`);
    expect(html).toContain('Terraform pipeline changes are reviewed in pull requests');
    expect(html).toContain('2027-03-31');
  });

  it('fills the table of contents with page numbers when they are known', () => {
    const model = buildDigestModel(sampleReportInput());

    expect(renderEvidenceHtml(model)).not.toContain('class="toc-page"');
    expect(renderEvidenceHtml(model)).toContain('<p class="meta">Each entry links to its section.');
    expect(renderEvidenceHtml(model, { pages: { summary: 2 } })).toContain('<p class="meta reserved">');
    expect(renderEvidenceHtml(model, { pages: { summary: 3, errors: 11 } })).toContain(
      '<a href="#summary">1. Summary</a><span class="toc-page">3</span>',
    );
  });

  it('escapes every hostile value: no tag, attribute or template from data', () => {
    const html = renderEvidenceHtml(buildDigestModel(hostileReportInput(9)));
    const body = html.slice(html.indexOf('<body>'));

    expect(body).not.toMatch(/<script|<img|<mj-|<a href="javascript|onerror=/i);
    // Console links only for plausible regions: the hostile region gets none, the sample's events keep theirs.
    const links = [...body.matchAll(/href="([^"]*cloudtrail[^"]*)"/g)].map((m) => m[1] ?? '');
    expect(links.length).toBeGreaterThan(0);
    for (const link of links)
      expect(link).toMatch(/^https:\/\/[a-z0-9-]+\.console\.aws\.amazon\.com\/cloudtrail\//);
    expect(body).toContain(
      'href="https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region&#x3D;eu-west-1#/events/evt-root-1"',
    );
    expect(body).toContain('&lt;script&gt;document.title&#x3D;&quot;pwned&quot;&lt;/script&gt;');
    expect(body).toContain('&lt;img src&#x3D;&quot;http://127.0.0.1:9/x&quot;');
    expect(body).toContain('{{constructor.constructor');
    expect(body).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b]/);
    // The 10 MB parameter is clipped: the document stays small.
    expect(html.length).toBeLessThan(300_000);
    expect(body).toContain('more characters in findings.json');
  });
});
