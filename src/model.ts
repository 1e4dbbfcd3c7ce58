// The plain data that flows between the stages of the pipeline (design.md, "Contracts other tools rely on").
import { isIncomplete, type RunErrorEntry } from './shared/errors.js';
import type { AthenaCost } from './shared/athena-cost.js';

/** What a finding asks for: act now, or review in the next day or two. */
export type Tier = 'alert' | 'review';
/** How bad it is. */
export type Risk = 'high' | 'medium' | 'low';

/** Whether a finding's group was seen in the history's previous days; `unknown` while there is no history. */
export type Novelty = 'new' | 'recurring' | 'unknown';

/** Which suppression hid a finding and why; the finding is kept and listed, never silently dropped. */
export interface SuppressionRef {
  /** The suppression's id, or where it was written (`suppressions[2]`). */
  id: string;
  /** Its position among the configured suppressions (the config's first, then suppressionsFile's). */
  index: number;
  reason: string;
  owner: string | null;
  /** The last day (YYYY-MM-DD) the suppression applies. */
  expires: string;
}

/** What one configured suppression did in a run: for the digest's warnings and the evidence's list. */
export interface SuppressionStatus {
  id: string;
  index: number;
  /** The rule or coverage check id it applies to, or `*`. */
  rule: string;
  /** The other fields it matches on, as written (principal glob, CIDR…). */
  match: Record<string, string>;
  reason: string;
  owner: string | null;
  expires: string;
  state: 'active' | 'expired';
  /** Findings (and coverage findings) it suppressed in this run; 0 while active means unused. */
  matched: number;
  /** For an expired suppression: the findings it would still match, shown again because it expired. */
  shownAgain: number;
  /** Days from the run's date to the expiry (negative once expired). */
  daysLeft: number;
}

/** One finding of a detection rule, as written in findings.json. */
export interface Finding {
  ruleId: string;
  tier: Tier;
  risk: Risk;
  /** CloudTrail's eventID; for an aggregate, the first event behind it (null when there is none). */
  eventId: string | null;
  /** For aggregates (thresholds, gaps): the ids of the events behind the finding. */
  eventIds?: string[];
  eventTime: string | null;
  accountId: string | null;
  region: string | null;
  eventSource: string | null;
  eventName: string | null;
  principal: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  errorCode: string | null;
  summary: string;
  /** The event in the CloudTrail console (null when the region or event id is missing or implausible). */
  consoleUrl?: string | null;
  suppressed: boolean;
  suppression?: SuppressionRef;
  /** Whether its group (rule, principal, event name, account…) was seen in the previous days. */
  novelty?: Novelty;
  /** Set (true) when its rule watches source IPs and this address was never seen for its principal before. */
  newSourceIp?: boolean;
}

/** Status of one account-region (or account) in the trail coverage audit. */
export type CoverageStatus = 'covered' | 'problem' | 'not-audited';

/** One coverage finding of the trail audit, per account and region (region null: the whole account). */
export interface CoverageFinding {
  /** e.g. trail-region-uncovered, trail-not-logging, trail-log-validation-disabled. */
  checkId: string;
  tier: Tier;
  risk: Risk;
  accountId: string;
  accountName: string | null;
  region: string | null;
  trailArn: string | null;
  summary: string;
  suppressed: boolean;
  suppression?: SuppressionRef;
}

/** The coverage summary: N of M accounts and R of S account-regions fully covered. */
export interface CoverageSummary {
  accountsTotal: number;
  accountsCovered: number;
  accountsNotAudited: number;
  /** True when the account listing failed midway: accountsTotal counts those listed, the real total is higher. */
  accountsTotalIsMinimum?: boolean;
  regionsTotal: number;
  regionsCovered: number;
}

/** What one rule's evaluation did: kept in the run facts and printed in the evidence. */
export interface RuleRun {
  ruleId: string;
  title: string;
  tier: Tier;
  risk: Risk;
  status: 'ran' | 'failed' | 'disabled' | 'not-configured';
  /** Why it did not run (not configured, disabled, the engine's error). */
  reason?: string;
  sql: string;
  /** The bound parameter values, in order. */
  parameters: unknown[];
  queryId?: string;
  bytesScanned?: number;
  durationMs?: number;
  findings: number;
}

/** Facts about one run, for the digest, the evidence and findings.json. */
export interface RunFacts {
  runId: string;
  trailwatchVersion: string;
  organization: string;
  startedAt: string;
  finishedAt: string;
  window: { since: string | null; until: string | null };
  engine: 'duckdb' | 'athena';
  source: string;
  filesRead: number;
  /** Log files not opened because their S3 key puts them more than a day away from the window. */
  filesSkipped?: number;
  /** Distinct events evaluated (an event delivered twice counts once). */
  eventsRead: number;
  /** Copies of an already-read event (same eventID, delivered more than once): evaluated once, counted here. */
  duplicateEvents: number;
  bytesRead: number;
  rules: RuleRun[];
  complete: boolean;
  /** A link to the CI run that produced this, when there is one. */
  ciRunUrl?: string;
  /** On Athena: what the run's queries cost at the configured price (engine.athena.usdPerTerabyte). */
  athenaCost?: AthenaCost;
  /** On Athena: what each CloudTrail table projects, and whether it covered the organization. */
  athenaTables?: AthenaTableFacts[];
  /** What "new" was judged against: the history read from the previous bundle. */
  history?: HistoryFacts;
  /**
   * What the deliveries beyond the output folder did (the evidence bucket, the chat ping). They happen after
   * the bundle's own findings.json was written (the evidence quotes its hash), so this is in the run's
   * summary (`--json`) and the job summary; a failed one is also an error in manifest.json.
   */
  delivery?: DeliveryFacts;
}

/** What the evidence upload to S3 did. */
export interface S3DeliveryFacts {
  status: 'uploaded' | 'failed';
  /** Where the bundle was put: s3://bucket/prefix/<date>/<run id>/. */
  location: string;
  /** Files of the bundle, and how many of them are in the bucket now. */
  files: number;
  uploaded: number;
  bytes: number;
  kmsKeyId?: string;
  objectLock?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; retainUntil: string };
  /** The manifest's version id (Object Lock buckets are versioned), once it was uploaded. */
  manifestVersionId?: string;
}

/** What the chat ping did. */
export interface WebhookDeliveryFacts {
  status: 'sent' | 'failed';
  /** The environment variable the URL came from (the URL itself is a secret). */
  urlEnv: string;
  /** The HTTP status the endpoint answered, when it answered. */
  httpStatus?: number;
}

/** The deliveries of a run beyond the output folder. */
export interface DeliveryFacts {
  s3?: S3DeliveryFacts;
  webhook?: WebhookDeliveryFacts;
}

/** The history a run compared its findings with, and where it came from. */
export interface HistoryFacts {
  /** The day the run's findings are recorded under (YYYY-MM-DD). */
  date: string;
  /** How many days back a group counts as seen (config history.days). */
  days: number;
  /** The previous days found within that span: 0 means the baseline is being built (novelty unknown). */
  previousDays: number;
  /** Where the previous history was read from (a folder's history.json, an S3 key), or null: none found. */
  source: string | null;
}

/** What one Athena CloudTrail table projects, compared with the organization, after any sync. */
export interface AthenaTableFacts {
  database: string;
  table: string;
  layout: 'organization' | 'account';
  /** Whether the table could be read at all (Glue GetTable). */
  found: boolean;
  /** The accounts and regions the table projects now (after the sync, when it ran). */
  accounts: string[];
  regions: string[];
  /** What the organization has that the table still does not project. */
  missingAccounts: string[];
  missingRegions: string[];
  /** What the sync added to the projection in this run. */
  addedAccounts: string[];
  addedRegions: string[];
  /** Whether the table covered everything before this run touched it. */
  matchedBefore: boolean;
  /** Why the table could not be read or updated. */
  problem?: string;
}

/** The findings.json document. */
export interface FindingsFile {
  run: RunFacts;
  findings: Finding[];
  coverage: CoverageFinding[];
  coverageSummary?: CoverageSummary;
  /** Every configured suppression and what it did in this run. */
  suppressions?: SuppressionStatus[];
  errors: RunErrorEntry[];
}

/**
 * The run as a value: its facts and findings, and `errors` from every stage, delivery included. Nothing
 * patches a run's completeness: it is derived from `errors` by isComplete() wherever it is shown.
 */
export interface AuditRun {
  facts: Omit<RunFacts, 'complete'>;
  findings: Finding[];
  coverage: CoverageFinding[];
  coverageSummary?: CoverageSummary;
  suppressions?: SuppressionStatus[];
  errors: RunErrorEntry[];
}

/** Whether the audit is complete: no error that is not a warning. The one place this is decided. */
export function isComplete(run: Pick<AuditRun, 'errors'>): boolean {
  return !isIncomplete(run.errors);
}

/** The findings.json document of the run as it stands. */
export function findingsDocument(run: AuditRun): FindingsFile {
  return {
    run: { ...run.facts, complete: isComplete(run) },
    findings: run.findings,
    coverage: run.coverage,
    ...(run.coverageSummary ? { coverageSummary: run.coverageSummary } : {}),
    ...(run.suppressions ? { suppressions: run.suppressions } : {}),
    errors: [...run.errors],
  };
}
