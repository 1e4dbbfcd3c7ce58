// The digest model's types: what every renderer (email, plain text, evidence PDF, job summary) reads. The
// model is plain data, already ordered, counted, cleaned (display()) and clipped.
import type {
  CoverageStatus,
  CoverageSummary,
  CoverageFinding,
  Finding,
  Novelty,
  Risk,
  RunFacts,
  SuppressionStatus,
  Tier,
} from '../../model.js';
import type { FindingGroup } from '../../classify/group.js';
import type { RuleDefinition } from '../../rules/types.js';
import type { CoverageCell } from '../../trails/evaluate.js';
import type { RunErrorEntry } from '../../shared/errors.js';

/** The rule metadata the digest needs. */
export type DigestRule = Pick<
  RuleDefinition,
  'id' | 'title' | 'tier' | 'risk' | 'why' | 'next' | 'references' | 'grouping'
>;

/** One cell of the trail coverage matrix, as the coverage evaluator returns it. */
export type CoverageMatrixCell = CoverageCell;

/** Everything the report needs; the engine, the coverage audit and the CLI each supply their part. */
export interface ReportInput {
  facts: RunFacts;
  findings: Finding[];
  /** The classify stage's groups of `findings` (classify/group.ts): the rows of the rules' sections. */
  groups: FindingGroup[];
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
    /** Rows (finding groups) shown per rule in the email; the rest are counted and left to the PDF. */
    maxEventsPerGroup: number;
    /** Where the full list lives, named in "N more in …" (default evidence.pdf). */
    evidencePath?: string;
  };
}

/**
 * One row of a rule's section: a group of findings (classify/group.ts) — one event, or many alike (the same
 * principal doing the same thing in the same account; for threshold rules, the same principal and source
 * IP) — with its count, first and last time, regions, and every event id behind it.
 */
export interface DigestEvent {
  /** The first time (the only one when count is 1). */
  time: string;
  lastTime: string;
  /** Findings in the row. */
  count: number;
  /** The account, or the accounts (comma-separated) a threshold row spans. */
  accountId: string;
  accountName: string;
  /** The distinct regions, comma-separated. */
  region: string;
  principal: string;
  action: string;
  sourceIp: string;
  userAgent: string;
  errorCode: string;
  /** The first event behind the row (its console link). */
  eventId: string;
  /** Every event id behind the row, for the evidence. */
  eventIds: string[];
  /** The first event in the CloudTrail console, rebuilt from the validated region and event id (null: no link). */
  consoleUrl: string | null;
  /** The first finding's summary. */
  summary: string;
  /** Seen in the history's previous days (recurring), not seen (new), or no history yet (unknown). */
  novelty: Novelty;
  /** Source IPs never seen for the principal before (rules that watch them), for a call-out. */
  newSourceIps: string[];
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
  /** Findings of the rule (in this tier). */
  count: number;
  /** Rows (finding groups), and how many of them are new and recurring. */
  rows: number;
  newRows: number;
  recurringRows: number;
  why: string;
  next: string;
  references: { title: string; url: string | null }[];
  /** Every row, new ones first, for the evidence. */
  events: DigestEvent[];
  /** The first `maxEventsPerGroup` rows, for the email (never more: the cap per rule). */
  shownEvents: DigestEvent[];
  /** How many rows the email leaves to the evidence. */
  moreCount: number;
}

/** A rule that produced findings, for the one-line-per-rule overview that is never summarised away. */
export interface FiredRule {
  ruleId: string;
  title: string;
  tier: Tier;
  risk: Risk;
  count: number;
  rows: number;
  newRows: number;
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
    /** Alert rows (groups of findings) and the findings in them; likewise to review. */
    alerts: number;
    review: number;
    alertFindings: number;
    reviewFindings: number;
    /** Alert and review rows marked new, and recurring; alert rows marked new. */
    newRows: number;
    newAlerts: number;
    recurringRows: number;
    suppressed: number;
    coverageProblems: number;
    coverageOk: number;
    notAudited: number;
    rulesEvaluated: number;
  };
  /** What "new" was judged against, in one line (empty when the run carried no history facts). */
  novelty: { known: boolean; line: string };
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
