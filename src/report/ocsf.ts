// The run's findings as OCSF Detection Findings (class 2004), the format Security Hub and most SIEMs take.
// Pure: one event per rule finding and per coverage problem (a trail check that failed, an account or region
// that could not be audited). Values from the log are kept as they are: JSON carries them inertly, and a
// consumer that renders them escapes them as it would any OCSF field.
import { isIP } from 'node:net';
import type { CoverageFinding, Finding, FindingsFile, Risk, Tier } from '../model.js';
import { MITRE_TACTICS, mitreUrl, type MitreTechnique } from '../rules/mitre.js';
import type { RuleDefinition } from '../rules/types.js';
import type { RunErrorEntry } from '../shared/errors.js';
import { cloudTrailEventUrl } from '../shared/console-link.js';
import { COVERAGE_CHECKS, type CoverageCheckId } from '../trails/evaluate.js';

/** The OCSF schema version the events follow. */
export const OCSF_VERSION = '1.8.0';

/** The rule metadata the mapping needs. */
export type OcsfRule = Pick<RuleDefinition, 'id' | 'title' | 'why' | 'next' | 'mitre'>;

/** One OCSF event, as plain JSON. */
export type OcsfEvent = Record<string, unknown>;

const SEVERITY: Record<Risk, { id: number; name: string }> = {
  high: { id: 4, name: 'High' },
  medium: { id: 3, name: 'Medium' },
  low: { id: 2, name: 'Low' },
};

/** Time as OCSF's timestamp_t (milliseconds since the epoch); `fallback` when the text is not a date. */
function millis(text: string | null | undefined, fallback: number): number {
  const ms = text ? Date.parse(text) : Number.NaN;
  return Number.isFinite(ms) ? ms : fallback;
}

/** The class, category, activity (Create), severity and status attributes every event shares. */
function frame(risk: Risk, tier: Tier, suppressed: boolean, suppressionNote: string | null): OcsfEvent {
  return {
    activity_id: 1,
    activity_name: 'Create',
    category_uid: 2,
    category_name: 'Findings',
    class_uid: 2004,
    class_name: 'Detection Finding',
    type_uid: 200401,
    type_name: 'Detection Finding: Create',
    severity_id: SEVERITY[risk].id,
    severity: SEVERITY[risk].name,
    status_id: suppressed ? 3 : 1,
    status: suppressed ? 'Suppressed' : 'New',
    ...(suppressionNote ? { status_detail: suppressionNote } : {}),
    is_alert: tier === 'alert' && !suppressed,
  };
}

function metadata(doc: FindingsFile, uid: string, originalTime: string | null): OcsfEvent {
  return {
    version: OCSF_VERSION,
    profiles: ['cloud'],
    product: { name: 'trailwatch', vendor_name: 'trailwatch', version: doc.run.trailwatchVersion },
    uid,
    correlation_uid: doc.run.runId,
    log_name: 'CloudTrail',
    ...(doc.run.organization ? { tenant_uid: doc.run.organization } : {}),
    ...(originalTime ? { original_time: originalTime } : {}),
  };
}

function cloud(accountId: string | null, region: string | null): OcsfEvent {
  return {
    provider: 'AWS',
    ...(region ? { region } : {}),
    ...(accountId ? { account: { uid: accountId, type_id: 10, type: 'AWS Account' } } : {}),
  };
}

/** ATT&CK techniques as OCSF attack objects: a sub-technique under its parent technique, one per tactic. */
export function ocsfAttacks(mitre: readonly MitreTechnique[]): OcsfEvent[] {
  return mitre.flatMap((m) => {
    const [parentId = m.technique] = m.technique.split('.');
    const [parentName = m.name, subName] = m.name.split(' — ');
    const technique = { uid: parentId, name: parentName, src_url: mitreUrl(parentId) };
    const sub = subName
      ? { sub_technique: { uid: m.technique, name: subName, src_url: mitreUrl(m.technique) } }
      : {};
    return m.tactics.map((t) => ({
      technique,
      ...sub,
      tactic: { uid: MITRE_TACTICS[t].id, name: MITRE_TACTICS[t].name },
    }));
  });
}

/** The event's source: an IP address, or the AWS service that called on the principal's behalf. */
function sourceEndpoint(sourceIp: string | null): OcsfEvent | null {
  if (!sourceIp) return null;
  return isIP(sourceIp) ? { ip: sourceIp } : { domain: sourceIp };
}

function suppressionNote(f: Pick<Finding, 'suppressed' | 'suppression'>): string | null {
  if (!f.suppressed || !f.suppression) return null;
  return `suppressed: ${f.suppression.reason}${f.suppression.expires ? ` (until ${f.suppression.expires})` : ''}`;
}

function fromFinding(
  doc: FindingsFile,
  f: Finding,
  rule: OcsfRule | undefined,
  index: number,
  runTime: number,
): OcsfEvent {
  const uid = f.eventId
    ? `${f.ruleId}:${f.eventId}`
    : `${f.ruleId}:${f.accountId ?? '-'}:${f.region ?? '-'}:${f.eventTime ?? index}`;
  const time = millis(f.eventTime, runTime);
  const consoleUrl = cloudTrailEventUrl(f.region, f.eventId);
  const endpoint = sourceEndpoint(f.sourceIp);
  const api = f.eventName
    ? {
        operation: f.eventName,
        ...(f.eventSource ? { service: { name: f.eventSource } } : {}),
        ...(f.errorCode ? { response: { error: f.errorCode } } : {}),
      }
    : null;
  const evidence: OcsfEvent = {
    ...(f.eventId ? { uid: f.eventId, name: 'CloudTrail event' } : {}),
    ...(f.principal
      ? { actor: { user: f.principal.startsWith('arn:') ? { uid: f.principal } : { name: f.principal } } }
      : {}),
    ...(api ? { api } : {}),
    ...(endpoint ? { src_endpoint: endpoint } : {}),
    ...(f.userAgent ? { http_request: { user_agent: f.userAgent } } : {}),
  };
  const attacks = ocsfAttacks(rule?.mitre ?? []);
  return {
    ...frame(f.risk, f.tier, f.suppressed, suppressionNote(f)),
    time,
    message: f.summary,
    metadata: metadata(doc, uid, f.eventTime),
    cloud: cloud(f.accountId, f.region),
    ...(api ? { api } : {}),
    finding_info: {
      uid,
      title: rule?.title ?? f.ruleId,
      ...(rule?.why ? { desc: rule.why } : {}),
      analytic: { uid: f.ruleId, name: rule?.title ?? f.ruleId, type_id: 1, type: 'Rule' },
      ...(attacks.length > 0 ? { attacks } : {}),
      ...(consoleUrl ? { src_url: consoleUrl } : {}),
      types: [f.tier],
      first_seen_time: time,
      ...(f.eventIds && f.eventIds.length > 0 ? { related_events_count: f.eventIds.length } : {}),
    },
    ...(Object.keys(evidence).length > 0 ? { evidences: [evidence] } : {}),
    ...(rule?.next ? { remediation: { desc: rule.next } } : {}),
    unmapped: {
      tier: f.tier,
      risk: f.risk,
      ...(f.eventIds ? { event_ids: f.eventIds } : {}),
    },
  };
}

function fromCoverage(doc: FindingsFile, c: CoverageFinding, runTime: number): OcsfEvent {
  const check = COVERAGE_CHECKS[c.checkId as CoverageCheckId] as { title: string } | undefined;
  const uid = `coverage:${c.checkId}:${c.accountId}:${c.region ?? '-'}:${c.trailArn ?? '-'}`;
  return {
    ...frame(c.risk, c.tier, c.suppressed, suppressionNote(c)),
    time: runTime,
    message: c.summary,
    metadata: metadata(doc, uid, null),
    cloud: cloud(c.accountId, c.region),
    finding_info: {
      uid,
      title: check?.title ?? c.checkId,
      analytic: { uid: c.checkId, name: check?.title ?? c.checkId, type_id: 1, type: 'Rule' },
      types: [c.tier, 'trail-coverage'],
    },
    ...(c.trailArn ? { resources: [{ uid: c.trailArn, type: 'AWS::CloudTrail::Trail' }] } : {}),
    unmapped: { tier: c.tier, risk: c.risk, account_name: c.accountName },
  };
}

/** An account or region that could not be audited: a coverage problem as serious as a region without a trail. */
function fromNotAudited(doc: FindingsFile, e: RunErrorEntry, runTime: number): OcsfEvent {
  const [accountId = null, region = null] = e.id.split('/');
  const uid = `not-audited:${e.code}:${e.id}`;
  return {
    ...frame('high', 'alert', false, null),
    time: runTime,
    message: e.message,
    metadata: metadata(doc, uid, null),
    cloud: cloud(/^\d{12}$/.test(accountId ?? '') ? accountId : null, region),
    finding_info: {
      uid,
      title: `${e.scope === 'region' ? 'Region' : 'Account'} not audited`,
      analytic: { uid: e.code, name: e.code, type_id: 1, type: 'Rule' },
      types: ['alert', 'not-audited'],
    },
  };
}

/** Every finding and coverage problem of a run as OCSF Detection Findings. */
export function toOcsfFindings(doc: FindingsFile, rules: readonly OcsfRule[]): OcsfEvent[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const runTime = millis(doc.run.finishedAt, 0);
  return [
    ...doc.findings.map((f, i) => fromFinding(doc, f, byId.get(f.ruleId), i, runTime)),
    ...doc.coverage.map((c) => fromCoverage(doc, c, runTime)),
    ...doc.errors
      .filter((e) => (e.scope === 'account' || e.scope === 'region') && e.severity !== 'warning')
      .map((e) => fromNotAudited(doc, e, runTime)),
  ];
}
