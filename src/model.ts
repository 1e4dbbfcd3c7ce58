// The plain data that flows between the stages of the pipeline (design.md, "Contracts other tools rely on").
import type { RunErrorEntry } from './shared/errors.js';

/** What a finding asks for: act now, or review in the next day or two. */
export type Tier = 'alert' | 'review';
/** How bad it is. */
export type Risk = 'high' | 'medium' | 'low';

/** Why a finding is suppressed; kept and listed, never silently dropped. */
export interface SuppressionRef {
  reason: string;
  /** ISO date after which the suppression no longer applies. */
  expires: string | null;
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
  suppressed: boolean;
  suppression?: SuppressionRef;
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
  eventsRead: number;
  bytesRead: number;
  rules: RuleRun[];
  complete: boolean;
  /** A link to the CI run that produced this, when there is one. */
  ciRunUrl?: string;
}

/** The findings.json document. */
export interface FindingsFile {
  run: RunFacts;
  findings: Finding[];
  coverage: CoverageFinding[];
  coverageSummary?: CoverageSummary;
  errors: RunErrorEntry[];
}
