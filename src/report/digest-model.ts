// The digest model: plain data built from findings, coverage and run facts, from which the email, the
// plain-text part, the evidence PDF and the job summary are all rendered. Pure: no I/O, no clock.
//
// Every string that came from a log passes through `display()` here: control and invisible characters become
// visible `\uXXXX` escapes (a right-to-left override must not reorder what an auditor reads) and very long
// values are clipped with a note, so no renderer has to remember to do it. HTML escaping stays the template
// engine's job.
import type {
  CoverageFinding,
  CoverageStatus,
  CoverageSummary,
  Finding,
  Risk,
  RunFacts,
  SuppressionRef,
  SuppressionStatus,
  Tier,
} from '../model.js';
import { EXPIRY_WARNING_DAYS } from '../classify/classify.js';
import type { RuleDefinition } from '../rules/types.js';
import { coverageLine, type CoverageCell } from '../trails/evaluate.js';
import type { RunErrorEntry } from '../shared/errors.js';
import { cloudTrailEventUrl } from '../shared/console-link.js';
import { neutralizeControls } from '../shared/escape.js';

/** The rule metadata the digest needs. */
export type DigestRule = Pick<
  RuleDefinition,
  'id' | 'title' | 'tier' | 'risk' | 'why' | 'next' | 'references'
>;

/** One cell of the trail coverage matrix, as the coverage evaluator returns it. */
export type CoverageMatrixCell = CoverageCell;

/** Everything the report needs; the engine, the coverage audit and the CLI each supply their part. */
export interface ReportInput {
  facts: RunFacts;
  findings: Finding[];
  coverage: CoverageFinding[];
  coverageSummary?: CoverageSummary;
  /** Every configured suppression and what it did (findings.json's `suppressions`). */
  suppressions?: SuppressionStatus[];
  coverageMatrix?: CoverageMatrixCell[];
  accounts?: { id: string; name: string | null }[];
  errors: RunErrorEntry[];
  rules: DigestRule[];
  /** SHA-256 (hex) of the findings.json written for this run. */
  findingsSha256?: string;
  /** When the report was generated (ISO); passed in so the model stays pure. */
  generatedAt: string;
  options: {
    /** Events shown per rule group in the email; the rest are counted and left to the PDF. */
    maxEventsPerGroup: number;
    /** Where the full list lives, named in "N more in …" (default evidence.pdf). */
    evidencePath?: string;
  };
}

/** One event line of a rule group. */
export interface DigestEvent {
  time: string;
  accountId: string;
  accountName: string;
  region: string;
  principal: string;
  action: string;
  sourceIp: string;
  userAgent: string;
  errorCode: string;
  eventId: string;
  /** The event in the CloudTrail console, rebuilt from the validated region and event id (null: no link). */
  consoleUrl: string | null;
  summary: string;
  /** Set for suppressed findings. */
  suppressionId?: string;
  suppressionReason?: string;
  suppressionOwner?: string;
  suppressionExpires?: string;
}

/** One configured suppression as the digest and evidence show it. */
export interface DigestSuppression {
  id: string;
  rule: string;
  /** What it matches besides the rule ("principal arn:aws:sts::*:assumed-role/deploy/*"), or "—". */
  match: string;
  reason: string;
  owner: string;
  expires: string;
  state: 'active' | 'expired';
  matched: number;
  shownAgain: number;
  daysLeft: number;
}

/** Findings of one rule, with what the rule says about them. */
export interface DigestGroup {
  ruleId: string;
  title: string;
  tier: Tier;
  risk: Risk;
  count: number;
  why: string;
  next: string;
  references: { title: string; url: string | null }[];
  /** Every event, for the evidence. */
  events: DigestEvent[];
  /** The first `maxEventsPerGroup` events, for the email. */
  shownEvents: DigestEvent[];
  /** How many events the email leaves to the evidence. */
  moreCount: number;
}

/** A rule that produced findings, for the one-line-per-rule overview that is never summarised away. */
export interface FiredRule {
  ruleId: string;
  title: string;
  tier: Tier;
  risk: Risk;
  count: number;
}

/** One coverage problem, by account and region. */
export interface DigestCoverageProblem {
  checkId: string;
  tier: Tier;
  risk: Risk;
  accountId: string;
  accountName: string;
  region: string;
  trailArn: string;
  summary: string;
  suppressed: boolean;
  suppressionId?: string;
  suppressionReason?: string;
  suppressionOwner?: string;
  suppressionExpires?: string;
}

/** Something that could not be evaluated (an account, region, rule or file), with the reason. */
export interface NotAuditedItem {
  scope: string;
  id: string;
  label: string;
  code: string;
  reason: string;
}

/** One rule as evaluated, for the evidence's scope and method section. */
export interface DigestRuleRun {
  ruleId: string;
  title: string;
  tier: Tier;
  risk: Risk;
  status: string;
  reason: string;
  sql: string;
  parameters: string;
  queryId: string;
  bytesScanned: string;
  duration: string;
  findings: number;
}

/** The coverage matrix laid out for rendering: accounts down, regions across. */
export interface DigestMatrix {
  regions: string[];
  rows: {
    accountId: string;
    accountName: string;
    cells: { region: string; status: CoverageStatus | 'none'; symbol: string; checks: string }[];
  }[];
}

/** The digest: everything every renderer shows, already ordered, counted, cleaned and clipped. */
export interface DigestModel {
  subject: string;
  /** "3 alerts, 12 to review, 1 trail problem" (or "All clear"). */
  tally: string;
  headline: string;
  complete: boolean;
  clean: boolean;
  /** The one line a clean day gets (empty otherwise). */
  cleanLine: string;
  organization: string;
  /** The audited day (YYYY-MM-DD). */
  date: string;
  generatedAt: string;
  runId: string;
  version: string;
  findingsSha256: string;
  evidencePath: string;
  counts: {
    alerts: number;
    review: number;
    suppressed: number;
    coverageProblems: number;
    coverageOk: number;
    notAudited: number;
    rulesEvaluated: number;
  };
  alertGroups: DigestGroup[];
  reviewGroups: DigestGroup[];
  /** Every rule with (unsuppressed) findings, alerts first: the email always lists all of them. */
  firedRules: FiredRule[];
  coverage: {
    /** False when the run had no trail coverage audit (scanning a folder of logs). */
    audited: boolean;
    problems: DigestCoverageProblem[];
    summary: CoverageSummary | null;
    okLine: string;
  };
  matrix: DigestMatrix;
  notAudited: NotAuditedItem[];
  /** Problems producing this report itself (no browser for the PDF…): shown, but not an audit gap. */
  reportProblems: NotAuditedItem[];
  /** Said, but not gaps in the audit (e.g. records evaluated with fields missing). */
  warnings: NotAuditedItem[];
  suppressed: {
    count: number;
    /** Suppressed findings and coverage findings of the alert tier: a day with any is never "All clear". */
    alerts: number;
    ruleIds: string[];
    coverage: DigestCoverageProblem[];
    /** Every configured suppression, in config order, with what it did. */
    all: DigestSuppression[];
    /** Expired: no longer suppressing; the digest says what they show again. */
    expired: DigestSuppression[];
    /** Active and expiring within 14 days: flagged in the digest. */
    expiringSoon: DigestSuppression[];
    /** Active but matched nothing in this run: listed in the evidence. */
    unused: DigestSuppression[];
  };
  /** Suppressed findings grouped by rule, for the evidence. */
  suppressedGroups: DigestGroup[];
  facts: {
    window: string;
    since: string;
    until: string;
    engine: string;
    source: string;
    queriesRun: number;
    dataScanned: string;
    cost: string;
    duration: string;
    filesRead: number;
    eventsRead: number;
    ciRunUrl: string | null;
    /** On Athena: each CloudTrail table's projection and whether it covered the organization. */
    athenaTables: DigestAthenaTable[];
  };
  accounts: { audited: { id: string; name: string }[]; notAudited: { id: string; name: string }[] };
  regions: string[];
  ruleRuns: DigestRuleRun[];
}

/** Longest value kept for one field; findings.json keeps the whole value. */
export const FIELD_LIMIT = 300;
/** Longest summary kept: a 10 MB request parameter must not become a table row taller than a page. */
export const SUMMARY_LIMIT = 500;

const RISK_ORDER: Record<Risk, number> = { high: 0, medium: 1, low: 2 };
const TIER_ORDER: Record<Tier, number> = { alert: 0, review: 1 };
// Athena bills $5 per TB scanned (us-east-1 list price); DuckDB over local files costs nothing.
const ATHENA_USD_PER_BYTE = 5 / 1e12;
const AUDIT_SCOPES = new Set(['account', 'region', 'rule', 'file', 'engine', 'run']);

/** Makes a log-derived value displayable: visible escapes for invisible characters, clipped with a note. */
export function display(value: string | null | undefined, limit = FIELD_LIMIT): string {
  if (value === null || value === undefined || value === '') return '—';
  const clipped =
    value.length > limit
      ? `${value.slice(0, limit)}… [${(value.length - limit).toLocaleString('en-US')} more characters in findings.json]`
      : value;
  return neutralizeControls(clipped);
}

/** Formats a byte count as B/KB/MB/GB/TB (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Formats milliseconds as "850 ms", "12.3 s" or "4 min 05 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** "1 alert" / "3 alerts". */
export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const parsed = Date.parse(iso);
  if (Number.isNaN(parsed)) return display(iso, 40);
  return `${new Date(parsed).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function auditedDay(facts: RunFacts, generatedAt: string): string {
  for (const candidate of [facts.window.since, facts.window.until, generatedAt]) {
    if (candidate && !Number.isNaN(Date.parse(candidate)))
      return new Date(candidate).toISOString().slice(0, 10);
  }
  return generatedAt.slice(0, 10);
}

function accountNamer(input: ReportInput): (id: string | null) => string {
  const names = new Map<string, string>();
  for (const cell of input.coverageMatrix ?? [])
    if (cell.accountName) names.set(cell.accountId, cell.accountName);
  for (const finding of input.coverage)
    if (finding.accountName) names.set(finding.accountId, finding.accountName);
  for (const account of input.accounts ?? []) if (account.name) names.set(account.id, account.name);
  return (id) => (id ? display(names.get(id) ?? '', 80) : '—');
}

function toEvent(finding: Finding, nameOf: (id: string | null) => string): DigestEvent {
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

function buildGroups(
  findings: Finding[],
  rules: Map<string, DigestRule>,
  nameOf: (id: string | null) => string,
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

/** Keeps only http(s) URLs, so a `javascript:` link can never reach a rendered href. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function toCoverageProblem(
  finding: CoverageFinding,
  nameOf: (id: string | null) => string,
): DigestCoverageProblem {
  const problem: DigestCoverageProblem = {
    checkId: display(finding.checkId, 80),
    tier: finding.tier,
    risk: finding.risk,
    accountId: display(finding.accountId, 40),
    accountName: finding.accountName ? display(finding.accountName, 80) : nameOf(finding.accountId),
    region: finding.region ? display(finding.region, 40) : 'all regions',
    trailArn: display(finding.trailArn),
    summary: display(finding.summary, SUMMARY_LIMIT),
    suppressed: finding.suppressed,
  };
  if (finding.suppressed) Object.assign(problem, suppressionFields(finding.suppression));
  return problem;
}

function buildMatrix(input: ReportInput, nameOf: (id: string | null) => string): DigestMatrix {
  const cells = input.coverageMatrix ?? [];
  const regions = [...new Set(cells.map((c) => c.region))].sort();
  const accounts = new Map<string, string>();
  for (const cell of cells) accounts.set(cell.accountId, cell.accountName ?? '');
  const index = new Map(cells.map((c) => [`${c.accountId}/${c.region}`, c]));
  const symbols: Record<CoverageStatus | 'none', string> = {
    covered: '✓',
    problem: '✗',
    'not-audited': '?',
    none: '·',
  };
  const rows = [...accounts.keys()].sort().map((accountId) => ({
    accountId: display(accountId, 40),
    accountName: nameOf(accountId),
    cells: regions.map((region) => {
      const cell = index.get(`${accountId}/${region}`);
      const status: CoverageStatus | 'none' = cell?.status ?? 'none';
      return { region, status, symbol: symbols[status], checks: display(cell?.checks.join(', ') ?? '', 200) };
    }),
  }));
  return { regions: regions.map((r) => display(r, 40)), rows };
}

function errorLabel(entry: RunErrorEntry, nameOf: (id: string | null) => string): string {
  if (entry.scope === 'account') return `account ${entry.id} (${nameOf(entry.id)})`;
  if (entry.scope === 'region') {
    const [account, region] = entry.id.split('/');
    return `account ${account ?? entry.id} (${nameOf(account ?? null)}), region ${region ?? '?'}`;
  }
  return `${entry.scope} ${entry.id}`;
}

/**
 * A warning is said but does not make the audit incomplete (main's RunErrorEntry has `severity?: 'warning'`;
 * read structurally so the model works with and without that field).
 */
export function isWarning(entry: RunErrorEntry): boolean {
  return 'severity' in entry && (entry as { severity?: unknown }).severity === 'warning';
}

/** What the digest shows of a suppression: which one, its reason, owner and expiry, ready to print. */
function suppressionFields(suppression: SuppressionRef | undefined): {
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

function toDigestSuppression(s: SuppressionStatus): DigestSuppression {
  const match = Object.entries(s.match)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
  return {
    id: display(s.id, 80),
    rule: display(s.rule, 80),
    match: display(match, 400),
    reason: display(s.reason),
    owner: display(s.owner, 120),
    expires: display(s.expires, 40),
    state: s.state,
    matched: s.matched,
    shownAgain: s.shownAgain,
    daysLeft: s.daysLeft,
  };
}

/**
 * The model with problems that came after it was built (a failed delivery) added to its report problems,
 * shown like every other run error.
 */
export function withLateProblems(model: DigestModel, entries: readonly RunErrorEntry[]): DigestModel {
  if (entries.length === 0) return model;
  // Late problems are not account- or region-scoped, so no account names are needed to label them.
  const late = entries.map((e) => toItem(e, (id) => id ?? ''));
  return { ...model, reportProblems: [...model.reportProblems, ...late] };
}

function toItem(entry: RunErrorEntry, nameOf: (id: string | null) => string): NotAuditedItem {
  return {
    scope: entry.scope,
    id: display(entry.id, 120),
    label: display(
      AUDIT_SCOPES.has(entry.scope) ? errorLabel(entry, nameOf) : `${entry.scope} ${entry.id}`,
      200,
    ),
    code: display(entry.code, 80),
    reason: display(entry.message, 500),
  };
}

function buildNotAudited(input: ReportInput, nameOf: (id: string | null) => string): NotAuditedItem[] {
  const items = new Map<string, NotAuditedItem>();
  const add = (item: NotAuditedItem) => {
    const key = `${item.scope}:${item.id}`;
    if (!items.has(key)) items.set(key, item);
  };
  for (const entry of input.errors) {
    if (!AUDIT_SCOPES.has(entry.scope) || isWarning(entry)) continue;
    add({
      scope: entry.scope,
      id: display(entry.id, 120),
      label: display(errorLabel(entry, nameOf), 200),
      code: display(entry.code, 80),
      reason: display(entry.message, 500),
    });
  }
  // A rule that is not configured is said among the warnings; it does not make the audit incomplete.
  for (const run of input.facts.rules) {
    if (run.status !== 'failed') continue;
    add({
      scope: 'rule',
      id: display(run.ruleId, 80),
      label: display(`rule ${run.ruleId} (${run.title})`, 200),
      code: 'rule-failed',
      reason: display(run.reason ?? run.status, 500),
    });
  }
  for (const cell of input.coverageMatrix ?? []) {
    if (cell.status !== 'not-audited') continue;
    add({
      scope: 'region',
      id: `${cell.accountId}/${cell.region}`,
      label: display(`account ${cell.accountId} (${nameOf(cell.accountId)}), region ${cell.region}`, 200),
      code: 'region-not-audited',
      reason: display(cell.checks.join(', ') || 'the trail audit could not evaluate this region', 500),
    });
  }
  return [...items.values()];
}

function buildRuleRuns(facts: RunFacts): DigestRuleRun[] {
  return facts.rules.map((run) => ({
    ruleId: display(run.ruleId, 80),
    title: display(run.title, 120),
    tier: run.tier,
    risk: run.risk,
    status: run.status,
    reason: run.reason ? display(run.reason, 500) : '',
    sql: run.sql,
    parameters: display(JSON.stringify(run.parameters), 1000),
    queryId: display(run.queryId, 120),
    // The embedded engine reads local files once at staging; per-rule bytes are an Athena figure.
    bytesScanned:
      run.bytesScanned === undefined || facts.engine === 'duckdb' ? '—' : formatBytes(run.bytesScanned),
    duration: run.durationMs === undefined ? '—' : formatDuration(run.durationMs),
    findings: run.findings,
  }));
}

/** One Athena CloudTrail table as the evidence states it. */
export interface DigestAthenaTable {
  name: string;
  layout: string;
  /** One line: matched, updated this run, or what it still misses. */
  status: string;
  covered: boolean;
  accounts: string;
  regions: string;
}

function buildAthenaTables(facts: RunFacts): DigestAthenaTable[] {
  return (facts.athenaTables ?? []).map((t) => {
    const missing = t.missingAccounts.length + t.missingRegions.length;
    const added = t.addedAccounts.length + t.addedRegions.length;
    const status = !t.found
      ? `not readable: ${t.problem ?? 'unknown reason'}`
      : missing > 0 || t.problem
        ? `does NOT cover the organization: ${[
            t.missingAccounts.length > 0 ? `accounts ${t.missingAccounts.join(', ')}` : '',
            t.missingRegions.length > 0 ? `regions ${t.missingRegions.join(', ')}` : '',
            t.problem ?? '',
          ]
            .filter(Boolean)
            .join('; ')} not read`
        : added > 0
          ? `matched after this run added ${[
              t.addedAccounts.length > 0 ? `accounts ${t.addedAccounts.join(', ')}` : '',
              t.addedRegions.length > 0 ? `regions ${t.addedRegions.join(', ')}` : '',
            ]
              .filter(Boolean)
              .join(' and ')}`
          : 'matched: projects every account and enabled region of the organization';
    return {
      name: display(`${t.database}.${t.table}`, 300),
      layout: t.layout === 'organization' ? 'organization trail' : 'per-account trails',
      status: display(status, 2000),
      covered: t.found && missing === 0 && !t.problem,
      accounts: display(`${t.accounts.length}: ${t.accounts.join(', ')}`, 4000),
      regions: display(`${t.regions.length}: ${t.regions.join(', ')}`, 2000),
    };
  });
}

function buildFacts(facts: RunFacts): DigestModel['facts'] {
  const ran = facts.rules.filter((r) => r.status === 'ran' || r.status === 'failed');
  const scanned = facts.rules.reduce((sum, r) => sum + (r.bytesScanned ?? 0), 0);
  // Athena bills the staging CTAS (bytesRead: the one pass over the raw logs) and every rule query over the
  // staged table; DuckDB's rule queries re-read what staging already holds in memory.
  const bytes = facts.engine === 'athena' ? facts.bytesRead + scanned : Math.max(scanned, facts.bytesRead);
  const cost =
    facts.engine === 'athena' ? `$${(bytes * ATHENA_USD_PER_BYTE).toFixed(4)}` : '$0 (local engine)';
  const since = facts.window.since ? formatTime(facts.window.since) : 'first event';
  const until = facts.window.until ? formatTime(facts.window.until) : 'last event';
  const duration = Date.parse(facts.finishedAt) - Date.parse(facts.startedAt);
  return {
    window: `${since} → ${until}`,
    since,
    until,
    engine: facts.engine === 'athena' ? 'Amazon Athena' : 'DuckDB (embedded)',
    source: display(facts.source, 300),
    queriesRun: ran.length,
    dataScanned: formatBytes(bytes),
    cost,
    duration: formatDuration(duration),
    filesRead: facts.filesRead,
    eventsRead: facts.eventsRead,
    ciRunUrl: safeUrl(facts.ciRunUrl),
    athenaTables: buildAthenaTables(facts),
  };
}

function buildTally(counts: DigestModel['counts'], suppressedAlerts: number): string {
  const parts: string[] = [];
  if (suppressedAlerts > 0 && counts.alerts === 0) {
    // Suppressed alerts are never "All clear": the reader is told they exist and where they are listed.
    parts.push(`0 unsuppressed alerts — ${counts.suppressed.toLocaleString('en-US')} suppressed`);
    if (counts.review > 0) parts.push(`${counts.review.toLocaleString('en-US')} to review`);
    if (counts.coverageProblems > 0)
      parts.push(plural(counts.coverageProblems, 'trail problem', 'trail problems'));
  } else if (counts.alerts === 0 && counts.review === 0 && counts.coverageProblems === 0)
    parts.push('All clear');
  else {
    parts.push(plural(counts.alerts, 'alert', 'alerts'));
    parts.push(`${counts.review.toLocaleString('en-US')} to review`);
    if (counts.coverageProblems > 0)
      parts.push(plural(counts.coverageProblems, 'trail problem', 'trail problems'));
  }
  return parts.join(', ');
}

/** Builds the digest model from the run's findings, coverage, errors and facts. Pure. */
export function buildDigestModel(input: ReportInput): DigestModel {
  const maxEvents = Math.max(0, Math.floor(input.options.maxEventsPerGroup));
  const rules = new Map(input.rules.map((r) => [r.id, r]));
  const nameOf = accountNamer(input);

  const active = input.findings.filter((f) => !f.suppressed);
  const suppressedFindings = input.findings.filter((f) => f.suppressed);
  const groups = buildGroups(active, rules, nameOf, maxEvents);
  const alertGroups = groups.filter((g) => g.tier === 'alert');
  const reviewGroups = groups.filter((g) => g.tier === 'review');
  const suppressedGroups = buildGroups(suppressedFindings, rules, nameOf, maxEvents);

  const coverageProblems = input.coverage
    .filter((c) => !c.suppressed)
    .map((c) => toCoverageProblem(c, nameOf))
    .sort(
      (a, b) =>
        RISK_ORDER[a.risk] - RISK_ORDER[b.risk] ||
        a.accountId.localeCompare(b.accountId) ||
        a.region.localeCompare(b.region),
    );
  const suppressedCoverage = input.coverage
    .filter((c) => c.suppressed)
    .map((c) => toCoverageProblem(c, nameOf));

  const matrix = buildMatrix(input, nameOf);
  const notAudited = buildNotAudited(input, nameOf);
  const reportProblems = input.errors
    .filter((e) => !AUDIT_SCOPES.has(e.scope) && !isWarning(e))
    .map((e) => toItem(e, nameOf));
  const warnings = input.errors.filter(isWarning).map((e) => toItem(e, nameOf));
  const complete = input.facts.complete && notAudited.length === 0;

  const summary = input.coverageSummary ?? null;
  const coverageOk = matrix.rows.reduce(
    (sum, row) => sum + row.cells.filter((c) => c.status === 'covered').length,
    0,
  );
  const coverageAudited = summary !== null || matrix.rows.length > 0 || input.coverage.length > 0;
  const okLine = summary
    ? coverageLine(summary)
    : matrix.rows.length > 0
      ? `${coverageOk} of ${matrix.rows.length * matrix.regions.length} account-regions fully covered`
      : 'trail coverage was not audited in this run';

  const counts: DigestModel['counts'] = {
    alerts: alertGroups.reduce((sum, g) => sum + g.count, 0),
    review: reviewGroups.reduce((sum, g) => sum + g.count, 0),
    suppressed: suppressedFindings.length + suppressedCoverage.length,
    coverageProblems: coverageProblems.length,
    coverageOk,
    notAudited: notAudited.length,
    rulesEvaluated: input.facts.rules.filter((r) => r.status === 'ran').length,
  };
  const suppressedAlerts =
    suppressedFindings.filter((f) => f.tier === 'alert').length +
    input.coverage.filter((c) => c.suppressed && c.tier === 'alert').length;
  const clean =
    complete &&
    counts.alerts === 0 &&
    counts.review === 0 &&
    counts.coverageProblems === 0 &&
    suppressedAlerts === 0;
  const date = auditedDay(input.facts, input.generatedAt);
  const organization = display(input.facts.organization, 120);
  const tally = buildTally(counts, suppressedAlerts);
  const suppressionList = (input.suppressions ?? []).map(toDigestSuppression);

  const headline = complete
    ? `Audit complete: ${counts.rulesEvaluated} rules over every account and region in scope.`
    : `Audit INCOMPLETE: ${plural(counts.notAudited, 'item', 'items')} could not be evaluated — see "Not audited". Absence of findings there proves nothing.`;
  const cleanLine = !clean
    ? ''
    : coverageAudited
      ? `All clear: no alerts, nothing to review, and every trail in place (${okLine}).`
      : 'All clear: no alerts and nothing to review. Trail coverage was not audited in this run.';

  const auditedIds = new Set<string>();
  for (const row of matrix.rows) auditedIds.add(row.accountId);
  for (const account of input.accounts ?? []) auditedIds.add(account.id);
  const notAuditedAccounts = new Set(input.errors.filter((e) => e.scope === 'account').map((e) => e.id));
  for (const row of matrix.rows) {
    if (row.cells.length > 0 && row.cells.every((c) => c.status === 'not-audited'))
      notAuditedAccounts.add(row.accountId);
  }

  return {
    // A subject is one header line: display() leaves no newline or invisible character from the name.
    subject: `${tally}${complete ? '' : ' (audit incomplete)'} — ${display(input.facts.organization, 80)} — ${date}`,
    tally,
    headline,
    complete,
    clean,
    cleanLine,
    organization,
    date,
    generatedAt: formatTime(input.generatedAt),
    runId: display(input.facts.runId, 100),
    version: display(input.facts.trailwatchVersion, 40),
    findingsSha256: input.findingsSha256 ?? 'not computed',
    evidencePath: input.options.evidencePath ?? 'evidence.pdf',
    counts,
    alertGroups,
    reviewGroups,
    firedRules: groups.map((g) => ({
      ruleId: g.ruleId,
      title: g.title,
      tier: g.tier,
      risk: g.risk,
      count: g.count,
    })),
    coverage: { audited: coverageAudited, problems: coverageProblems, summary, okLine },
    matrix,
    notAudited,
    reportProblems,
    warnings,
    suppressed: {
      count: counts.suppressed,
      alerts: suppressedAlerts,
      ruleIds: suppressedGroups.map((g) => g.ruleId),
      coverage: suppressedCoverage,
      all: suppressionList,
      expired: suppressionList.filter((s) => s.state === 'expired'),
      expiringSoon: suppressionList.filter((s) => s.state === 'active' && s.daysLeft <= EXPIRY_WARNING_DAYS),
      unused: suppressionList.filter((s) => s.state === 'active' && s.matched === 0),
    },
    suppressedGroups,
    facts: buildFacts(input.facts),
    accounts: {
      audited: [...auditedIds]
        .filter((id) => !notAuditedAccounts.has(id))
        .sort()
        .map((id) => ({ id: display(id, 40), name: nameOf(id) })),
      notAudited: [...notAuditedAccounts].sort().map((id) => ({ id: display(id, 40), name: nameOf(id) })),
    },
    regions: matrix.regions,
    ruleRuns: buildRuleRuns(input.facts),
  };
}
