import { describe, expect, it } from 'vitest';
import { syntheticReportInput } from '../../bench/report.js';
import { buildDigestModel, type ReportInput } from '../../src/report/model/index.js';
import { renderEvidenceHtml } from '../../src/report/evidence.js';
import {
  EVIDENCE_BREAKDOWN_ROWS,
  EVIDENCE_EVENTS_PER_RULE,
  EVIDENCE_IDS_PER_ROW,
  evidenceGroup,
} from '../../src/report/evidence-groups.js';
import { withGroups } from '../fixtures/sample-org.js';

const HASHES = { csv: 'c'.repeat(64), jsonl: 'd'.repeat(64) };

/**
 * The synthetic day with a distinct IAM user behind almost every finding: rows are finding groups, and the
 * deployer's sessions alone would collapse into one row per account.
 */
function manyRows(count: number, rules: number, accounts: number): ReportInput {
  const input = syntheticReportInput(count, rules, accounts);
  return withGroups({
    ...input,
    findings: input.findings.map((f, i) => ({
      ...f,
      principal: `arn:aws:iam::${f.accountId ?? ''}:user/u-${i % 997}`,
    })),
  });
}

describe('a rule group in the evidence', () => {
  it('is printed whole while it is small', () => {
    const model = buildDigestModel(manyRows(100, 2, 5));
    for (const group of model.alertGroups) {
      const printed = evidenceGroup(group);
      expect(printed.capped).toBe(false);
      expect(printed.events).toHaveLength(group.rows);
    }
  });

  it('collapses the deployer’s sessions into one row per account, every event id kept', () => {
    const model = buildDigestModel(syntheticReportInput(5_000, 1, 40));
    const group = [...model.alertGroups, ...model.reviewGroups][0]!;
    expect(group.rows).toBe(40);
    expect(evidenceGroup(group).capped).toBe(false);
    expect(group.events.reduce((n, e) => n + e.eventIds.length, 0)).toBe(group.count);
  });

  it('lists its first events and accounts for every event in a grouped table when large', () => {
    // One rule, 40 accounts, 997 user names: far more rows and combinations than the grouped table's rows.
    const input = manyRows(5_000, 1, 40);
    const model = buildDigestModel(input);
    const group = [...model.alertGroups, ...model.reviewGroups][0]!;
    const printed = evidenceGroup(group);

    expect(printed.capped).toBe(true);
    expect(printed.events.map((e) => e.eventId)).toEqual(
      group.events.slice(0, EVIDENCE_EVENTS_PER_RULE).map((e) => e.eventId),
    );
    // Each listed row prints its first event ids and counts the others: none is lost.
    for (const [i, row] of printed.events.entries()) {
      const ids = group.events[i]!.eventIds;
      expect(row.shownEventIds).toEqual(ids.slice(0, EVIDENCE_IDS_PER_ROW));
      expect(row.shownEventIds.length + row.moreEventIds).toBe(ids.length);
    }
    expect(printed.unlisted).toBe(group.rows - EVIDENCE_EVENTS_PER_RULE);
    expect(printed.breakdown).toHaveLength(EVIDENCE_BREAKDOWN_ROWS);
    expect(printed.breakdownRest).not.toBeNull();
    const counted = printed.breakdown.reduce((sum, r) => sum + r.count, 0) + printed.breakdownRest!.count;
    expect(counted).toBe(group.count);
    // Largest combinations first.
    const counts = printed.breakdown.map((r) => r.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('prints the SHA-256 of findings.csv and findings.jsonl, on the cover and where events are left out', () => {
    const model = buildDigestModel(manyRows(5_000, 1, 40));
    const html = renderEvidenceHtml(model, { findingList: HASHES });
    const events = [...model.alertGroups, ...model.reviewGroups][0]!.count;

    expect(html).toContain(`<th>SHA-256 of findings.csv</th><td class="mono hash">${HASHES.csv}</td>`);
    expect(html).toContain(`<th>SHA-256 of findings.jsonl</th><td class="mono hash">${HASHES.jsonl}</td>`);
    expect(html).toContain(`are in findings.csv (SHA-256 <span class="mono">${HASHES.csv}</span>)`);
    expect(html).toContain(
      `<b>All findings of this rule</b></td><td class="num"><b>${events.toLocaleString('en-US')}</b>`,
    );
    // Only the listed rows carry event ids; the others are counted.
    const rows = html.match(/(event|events:) <a class="mono"|(event|events:) <span class="mono"/g) ?? [];
    expect(rows.length).toBeLessThanOrEqual(2 * EVIDENCE_EVENTS_PER_RULE);
    expect(html).not.toContain('00000000-0000-4000-8000-000000004999');
  });

  it('prints a row’s first event ids and counts the others, which are in findings.csv', () => {
    // One role in 40 accounts: rows of 125 findings each.
    const model = buildDigestModel(syntheticReportInput(5_000, 1, 40));
    const group = [...model.alertGroups, ...model.reviewGroups][0]!;
    const printed = evidenceGroup(group);
    const html = renderEvidenceHtml(model, { findingList: HASHES });

    expect(group.events[0]!.eventIds.length).toBeGreaterThan(EVIDENCE_IDS_PER_ROW);
    for (const [i, row] of printed.events.entries()) {
      const ids = group.events[i]!.eventIds;
      expect(row.shownEventIds).toEqual(ids.slice(0, EVIDENCE_IDS_PER_ROW));
      expect(row.shownEventIds.length + row.moreEventIds).toBe(ids.length);
    }
    const more = group.events[0]!.eventIds.length - EVIDENCE_IDS_PER_ROW;
    expect(html).toContain(
      `${group.events[0]!.eventIds[EVIDENCE_IDS_PER_ROW - 1]}</span> and ${more} more in findings.csv`,
    );
    expect(html).not.toContain(group.events[0]!.eventIds[EVIDENCE_IDS_PER_ROW]!);
  });
});
