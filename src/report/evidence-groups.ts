// A rule's findings as the evidence prints them. Up to EVIDENCE_EVENTS_PER_RULE (50) rows (finding groups,
// each with every event id behind it) are listed one by one; a larger rule lists its first rows and a grouped
// table that accounts for every finding of the rule (by account, principal and action, the largest
// combinations first, the rest summed in one row), and points to findings.csv and findings.jsonl, which hold
// every finding and whose SHA-256 the evidence prints. A 100,000-finding day then prints in under a minute
// instead of as a 3,000-page table nobody reads.
import type { DigestEvent, DigestGroup, DigestModel } from './model/index.js';

/** Events listed one by one per rule in the evidence. */
export const EVIDENCE_EVENTS_PER_RULE = 50;
/** Event ids printed per listed row; the rest of a row's ids are counted (every one is in findings.csv). */
export const EVIDENCE_IDS_PER_ROW = 5;
/** Rows of a rule's grouped table; the remaining combinations are summed in one more row. */
export const EVIDENCE_BREAKDOWN_ROWS = 50;

/** One row of a rule's grouped table: how many of its events share an account, principal and action. */
export interface EvidenceBreakdownRow {
  accountId: string;
  accountName: string;
  principal: string;
  action: string;
  count: number;
}

/** A listed row: its first event ids printed, the others counted. */
export type EvidenceEvent = DigestEvent & { shownEventIds: string[]; moreEventIds: number };

/** A rule group as the evidence prints it. */
export interface EvidenceGroup extends Omit<DigestGroup, 'events'> {
  events: EvidenceEvent[];
  /** Whether the group is too large to list whole. */
  capped: boolean;
  /** Rows of the rule not listed one by one (their findings are in findings.csv and findings.jsonl). */
  unlisted: number;
  breakdown: EvidenceBreakdownRow[];
  /** The combinations beyond the grouped table's rows, summed; null when every combination has its row. */
  breakdownRest: { combinations: number; count: number } | null;
}

/** The SHA-256 of the bundle's full finding lists, printed by the evidence. */
export interface FindingListHashes {
  csv: string;
  jsonl: string;
}

function breakdownOf(events: readonly DigestEvent[]): {
  rows: EvidenceBreakdownRow[];
  rest: EvidenceGroup['breakdownRest'];
} {
  const byKey = new Map<string, EvidenceBreakdownRow>();
  for (const e of events) {
    const key = JSON.stringify([e.accountId, e.principal, e.action]);
    const row = byKey.get(key);
    // A row stands for `count` findings.
    if (row) row.count += e.count;
    else
      byKey.set(key, {
        accountId: e.accountId,
        accountName: e.accountName,
        principal: e.principal,
        action: e.action,
        count: e.count,
      });
  }
  const sorted = [...byKey.values()].sort(
    (a, b) =>
      b.count - a.count ||
      a.accountId.localeCompare(b.accountId) ||
      a.principal.localeCompare(b.principal) ||
      a.action.localeCompare(b.action),
  );
  const rows = sorted.slice(0, EVIDENCE_BREAKDOWN_ROWS);
  const others = sorted.slice(EVIDENCE_BREAKDOWN_ROWS);
  return {
    rows,
    rest:
      others.length > 0
        ? { combinations: others.length, count: others.reduce((sum, r) => sum + r.count, 0) }
        : null,
  };
}

/** The group as the evidence prints it: whole when small, else its first events and a grouped table. */
export function evidenceGroup(group: DigestGroup): EvidenceGroup {
  const listed = (events: readonly DigestEvent[]): EvidenceEvent[] =>
    events.map((e) => ({
      ...e,
      shownEventIds: e.eventIds.slice(0, EVIDENCE_IDS_PER_ROW),
      moreEventIds: Math.max(0, e.eventIds.length - EVIDENCE_IDS_PER_ROW),
    }));
  if (group.events.length <= EVIDENCE_EVENTS_PER_RULE) {
    return {
      ...group,
      events: listed(group.events),
      capped: false,
      unlisted: 0,
      breakdown: [],
      breakdownRest: null,
    };
  }
  const { rows, rest } = breakdownOf(group.events);
  return {
    ...group,
    events: listed(group.events.slice(0, EVIDENCE_EVENTS_PER_RULE)),
    capped: true,
    unlisted: group.events.length - EVIDENCE_EVENTS_PER_RULE,
    breakdown: rows,
    breakdownRest: rest,
  };
}

/** How many table rows the evidence prints for its rule groups. */
export function evidenceGroupRows(model: DigestModel): number {
  return [...model.alertGroups, ...model.reviewGroups, ...model.suppressedGroups]
    .map(evidenceGroup)
    .reduce((sum, g) => sum + g.events.length + g.breakdown.length + (g.breakdownRest ? 1 : 0), 0);
}
