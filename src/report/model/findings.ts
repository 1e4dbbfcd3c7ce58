// Sections 4 and 5 of the digest, "Alerts" and "To review": the unsuppressed findings grouped by tier and
// rule, each group with what its rule says (why it matters, what to do next). The suppressed section groups
// its findings the same way.
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

function toEvent(finding: Finding, nameOf: NameOf): DigestEvent {
  const action =
    finding.eventSource || finding.eventName
      ? `${(finding.eventSource ?? '').replace(/\.amazonaws\.com$/, '')}:${finding.eventName ?? '?'}`
      : '';
  const event: DigestEvent = {
    time: formatTime(finding.eventTime),
    accountId: display(finding.accountId, 40),
    accountName: nameOf(finding.accountId),
    region: display(finding.region, 40),
    principal: display(finding.principal),
    action: display(action),
    sourceIp: display(finding.sourceIp, 100),
    userAgent: display(finding.userAgent),
    errorCode: display(finding.errorCode, 100),
    eventId: display(finding.eventId, 100),
    consoleUrl: cloudTrailEventUrl(finding.region, finding.eventId),
    summary: display(finding.summary, SUMMARY_LIMIT),
  };
  if (finding.suppressed) Object.assign(event, suppressionFields(finding.suppression));
  return event;
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.eventTime ?? '').localeCompare(b.eventTime ?? '') || (a.eventId ?? '').localeCompare(b.eventId ?? '')
  );
}

/** Findings grouped by tier and rule, worst first; each group lists every event and the first `maxEvents`. */
export function buildGroups(
  findings: Finding[],
  rules: Map<string, DigestRule>,
  nameOf: NameOf,
  maxEvents: number,
): DigestGroup[] {
  // Grouped by tier and rule: a rule whose row escalates one finding to an alert (a snapshot shared
  // publicly) shows it among the alerts and its other findings among the review items.
  const byRule = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = `${finding.tier}\u0000${finding.ruleId}`;
    const list = byRule.get(key) ?? [];
    list.push(finding);
    byRule.set(key, list);
  }
  const groups: DigestGroup[] = [];
  for (const list of byRule.values()) {
    const first = list[0];
    if (!first) continue;
    const ruleId = first.ruleId;
    const rule = rules.get(ruleId);
    const risk = list.reduce<Risk>(
      (worst, f) => (RISK_ORDER[f.risk] < RISK_ORDER[worst] ? f.risk : worst),
      first.risk,
    );
    // A finding carries the tier and risk the config gave it; the rule file's values are the fallback.
    const events = [...list].sort(compareFindings).map((f) => toEvent(f, nameOf));
    groups.push({
      ruleId: display(ruleId, 80),
      title: display(rule?.title ?? ruleId, 120),
      tier: first.tier,
      risk,
      count: list.length,
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
  const active = input.findings.filter((f) => !f.suppressed);
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
    })),
  };
}
