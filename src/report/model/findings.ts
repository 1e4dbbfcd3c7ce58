// Sections 4 and 5 of the digest, "Alerts" and "To review": the unsuppressed findings by tier and rule, each
// rule with what it says (why it matters, what to do next) and its rows: the finding groups of the classify
// stage (one principal doing one thing in one account, however often), new ones first. The suppressed
// section shows its groups the same way.
import type { FindingGroup } from '../../classify/group.js';
import type { Finding, Risk, SuppressionRef } from '../../model.js';
import { cloudTrailEventUrl } from '../../shared/console-link.js';
import {
  display,
  formatTime,
  RISK_ORDER,
  safeUrl,
  SUMMARY_LIMIT,
  TIER_ORDER,
  type NameOf,
} from './display.js';
import type { DigestEvent, DigestGroup, DigestModel, DigestRule, ReportInput } from './types.js';

/** What the digest shows of a suppression: which one, its reason, owner and expiry, ready to print. */
export function suppressionFields(suppression: SuppressionRef | undefined): {
  suppressionId: string;
  suppressionReason: string;
  suppressionOwner: string;
  suppressionExpires: string;
} {
  return {
    suppressionId: display(suppression?.id, 80),
    suppressionReason: display(suppression?.reason ?? 'no reason recorded'),
    suppressionOwner: display(suppression?.owner, 120),
    suppressionExpires: suppression?.expires ? display(suppression.expires, 40) : 'never',
  };
}

const NOVELTY_ORDER = { new: 0, unknown: 1, recurring: 2 } as const;

/** Up to `max` distinct values, "a, b, c (+2)". */
function listed(values: readonly (string | null)[], max: number): string | null {
  const distinct = [...new Set(values.filter((v): v is string => v !== null && v !== ''))];
  if (distinct.length === 0) return null;
  const shown = distinct.slice(0, max).join(', ');
  return distinct.length > max ? `${shown} (+${distinct.length - max})` : shown;
}

/** One row: a group of findings, shown through its first finding plus what the group adds. */
function toRow(group: FindingGroup, nameOf: NameOf): DigestEvent {
  const first = group.findings[0] as Finding;
  const action =
    first.eventSource || first.eventName
      ? `${(first.eventSource ?? '').replace(/\.amazonaws\.com$/, '')}:${first.eventName ?? '?'}`
      : '';
  // Several sessions of one role show as the role: the key the findings were grouped on.
  const principals = new Set(group.findings.map((f) => f.principal));
  const principal = principals.size > 1 && group.key.principal ? group.key.principal : first.principal;
  const row: DigestEvent = {
    time: formatTime(group.firstTime),
    lastTime: formatTime(group.lastTime),
    count: group.count,
    accountId: display(group.accounts.join(', ') || null, 200),
    accountName:
      group.accounts.length === 1 ? nameOf(group.accounts[0] ?? null) : `${group.accounts.length} accounts`,
    region: display(group.regions.join(', ') || null, 200),
    principal: display(principal),
    action: display(action),
    sourceIp: display(
      listed(
        group.findings.map((f) => f.sourceIp),
        3,
      ),
      200,
    ),
    userAgent: display(first.userAgent),
    errorCode: display(first.errorCode, 100),
    eventId: display(first.eventId ?? group.eventIds[0], 100),
    eventIds: group.eventIds.map((id) => display(id, 100)),
    consoleUrl: cloudTrailEventUrl(first.region, first.eventId ?? group.eventIds[0] ?? null),
    summary: display(first.summary, SUMMARY_LIMIT),
    novelty: group.novelty,
    newSourceIps: group.newSourceIps.map((ip) => display(ip, 100)),
  };
  if (first.suppressed) Object.assign(row, suppressionFields(first.suppression));
  return row;
}

/** New rows first, then (within each) the biggest and the earliest. */
function compareRows(a: FindingGroup, b: FindingGroup): number {
  return (
    NOVELTY_ORDER[a.novelty] - NOVELTY_ORDER[b.novelty] ||
    b.count - a.count ||
    (a.firstTime ?? '').localeCompare(b.firstTime ?? '')
  );
}

/**
 * Finding groups by tier and rule, rules with something new first, then the worst; each lists every row
 * (finding group) and the first `maxEvents` rows.
 */
export function buildGroups(
  findingGroups: readonly FindingGroup[],
  rules: Map<string, DigestRule>,
  nameOf: NameOf,
  maxEvents: number,
): DigestGroup[] {
  // By tier and rule: a rule whose row escalates one finding to an alert (a snapshot shared publicly) shows
  // it among the alerts and its other findings among the review items.
  const byRule = new Map<string, FindingGroup[]>();
  for (const group of findingGroups) {
    const key = `${group.tier}\u0000${group.ruleId}`;
    const list = byRule.get(key) ?? [];
    list.push(group);
    byRule.set(key, list);
  }
  const groups: DigestGroup[] = [];
  for (const list of byRule.values()) {
    const first = list[0];
    if (!first) continue;
    const ruleId = first.ruleId;
    const rule = rules.get(ruleId);
    // A finding carries the tier and risk the config gave it (a group its worst); the rule file's are the fallback.
    const risk = list.reduce<Risk>(
      (worst, g) => (RISK_ORDER[g.risk] < RISK_ORDER[worst] ? g.risk : worst),
      first.risk,
    );
    const rows = [...list].sort(compareRows);
    const events = rows.map((g) => toRow(g, nameOf));
    groups.push({
      ruleId: display(ruleId, 80),
      title: display(rule?.title ?? ruleId, 120),
      tier: first.tier,
      risk,
      count: rows.reduce((sum, g) => sum + g.count, 0),
      rows: rows.length,
      newRows: rows.filter((g) => g.novelty === 'new').length,
      recurringRows: rows.filter((g) => g.novelty === 'recurring').length,
      why: rule?.why ?? '',
      next: rule?.next ?? '',
      references: (rule?.references ?? []).map((r) => ({ title: r.title, url: safeUrl(r.url) })),
      events,
      shownEvents: events.slice(0, maxEvents),
      moreCount: Math.max(0, events.length - maxEvents),
    });
  }
  return groups.sort(
    (a, b) =>
      TIER_ORDER[a.tier] - TIER_ORDER[b.tier] ||
      // The email leads with what is new: a rule with a new row comes before one that only recurs.
      Number(b.newRows > 0) - Number(a.newRows > 0) ||
      RISK_ORDER[a.risk] - RISK_ORDER[b.risk] ||
      b.count - a.count ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

/** The rule metadata of a run by id: a finding's group takes its title, why and next steps from here. */
export function rulesById(input: ReportInput): Map<string, DigestRule> {
  return new Map(input.rules.map((r) => [r.id, r]));
}

/** The alerts and to-review sections, and the one-line-per-rule overview the email never summarises away. */
export function findingSections(
  input: ReportInput,
  nameOf: NameOf,
): Pick<DigestModel, 'alertGroups' | 'reviewGroups' | 'firedRules'> {
  const maxEvents = Math.max(0, Math.floor(input.options.maxEventsPerGroup));
  const active = input.groups.filter((g) => !g.suppressed);
  const groups = buildGroups(active, rulesById(input), nameOf, maxEvents);
  return {
    alertGroups: groups.filter((g) => g.tier === 'alert'),
    reviewGroups: groups.filter((g) => g.tier === 'review'),
    firedRules: groups.map((g) => ({
      ruleId: g.ruleId,
      title: g.title,
      tier: g.tier,
      risk: g.risk,
      count: g.count,
      rows: g.rows,
      newRows: g.newRows,
    })),
  };
}
