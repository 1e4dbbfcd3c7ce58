// The trail coverage evaluator: a pure function of an org snapshot. It answers, per account and enabled
// region, whether a logging trail records management write events there, and reviews every trail that
// applies (delivery, selectors, validation, encryption, scope, where its logs go).
import type { CoverageFinding, CoverageStatus, CoverageSummary, Risk, Tier } from '../model.js';
import type { RunErrorEntry } from '../shared/errors.js';
import type { AccountRecord, OrgSnapshot, TrailRecord } from './snapshot.js';
import { deliveryProblem, recordsDataEventsOnly, recordsManagementWrites } from './trail-facts.js';

/** The ids of the coverage checks. */
export type CoverageCheckId =
  | 'trail-region-uncovered'
  | 'trail-not-logging'
  | 'trail-delivery-error'
  | 'trail-management-events-excluded'
  | 'trail-log-validation-disabled'
  | 'trail-not-encrypted'
  | 'trail-single-region-only'
  | 'trail-logs-in-same-account';

/** The catalogue of coverage checks: tier, risk and title of each. */
export const COVERAGE_CHECKS: Record<CoverageCheckId, { tier: Tier; risk: Risk; title: string }> = {
  'trail-region-uncovered': {
    tier: 'alert',
    risk: 'high',
    title: 'No logging trail records management write events in the region',
  },
  'trail-not-logging': { tier: 'alert', risk: 'high', title: 'Trail logging is stopped' },
  'trail-delivery-error': { tier: 'alert', risk: 'medium', title: 'Trail is not delivering log files' },
  'trail-management-events-excluded': {
    tier: 'alert',
    risk: 'medium',
    title: 'Trail selectors exclude management or write events',
  },
  'trail-log-validation-disabled': { tier: 'review', risk: 'medium', title: 'Log file validation is off' },
  'trail-not-encrypted': { tier: 'review', risk: 'low', title: 'Trail logs are not encrypted with KMS' },
  'trail-single-region-only': { tier: 'review', risk: 'low', title: 'Trail records a single region only' },
  'trail-logs-in-same-account': {
    tier: 'review',
    risk: 'medium',
    title: 'Trail logs are stored in the audited account, not a separate log archive',
  },
};

/** What the evaluation needs besides the snapshot. */
export interface CoverageOptions {
  /** The evaluation time (delivery lag is measured against it). */
  now: Date | string;
  /** No delivery for longer than this is a delivery error. */
  deliveryLagHours: number;
  /** The log archive account; overrides the one recorded in the snapshot. */
  logArchiveAccountId?: string;
}

/** One cell of the accounts × regions picture. */
export interface CoverageCell {
  accountId: string;
  accountName: string | null;
  region: string;
  /** covered: fully covered; problem: not fully covered; not-audited: the account or its trails could not be read. */
  status: CoverageStatus;
  /** The check ids of the findings that touch this account-region. */
  checks: string[];
}

/** The evaluation's result. */
export interface CoverageResult {
  findings: CoverageFinding[];
  summary: CoverageSummary;
  errors: RunErrorEntry[];
  matrix: CoverageCell[];
  /** Audited accounts where some logging trail records management events in some region: their logs must hold events. */
  loggingAccounts: string[];
}

/** The regions of an account that are audited: enabled ones, restricted to the config's filter when set. */
export function auditedRegions(account: AccountRecord, regionFilter: readonly string[] | null): string[] {
  return account.regions
    .filter((r) => r.optInStatus !== 'not-opted-in')
    .map((r) => r.name)
    .filter((name) => regionFilter === null || regionFilter.includes(name))
    .sort();
}

/** The trails that apply to an audited account-region where no logging trail records management writes. */
function trailsNeededForManagement(
  audited: readonly AccountRecord[],
  regionFilter: readonly string[] | null,
): Set<string> {
  const needed = new Set<string>();
  for (const account of audited) {
    for (const region of auditedRegions(account, regionFilter)) {
      const applying = account.trails.filter((t) => t.isMultiRegion || t.homeRegion === region);
      if (applying.some((t) => t.status?.isLogging === true && recordsManagementWrites(t) === true)) continue;
      for (const trail of applying) needed.add(trail.arn);
    }
  }
  return needed;
}

function trailLabel(trail: TrailRecord): string {
  return `${trail.isOrganizationTrail ? 'organization trail' : 'trail'} ${trail.name}`;
}

/** The trail-level checks of one trail: [checkId, summary] pairs. */
function trailProblems(
  trail: TrailRecord,
  now: Date,
  options: {
    deliveryLagHours: number;
    logArchiveAccountId: string | null;
    bucketOwners: Record<string, string>;
    /** Trails that apply to some audited account-region no logging trail records management writes in. */
    neededForManagement: ReadonlySet<string>;
  },
): [CoverageCheckId, string][] {
  const out: [CoverageCheckId, string][] = [];
  const label = trailLabel(trail);
  if (trail.status && !trail.status.isLogging) {
    const since = trail.status.stopLoggingTime ? ` since ${trail.status.stopLoggingTime}` : '';
    out.push(['trail-not-logging', `${label} is not logging${since}`]);
  }
  const delivery = deliveryProblem(trail, now, options.deliveryLagHours);
  if (delivery) out.push(['trail-delivery-error', `${label}: ${delivery}`]);
  // A data-events-only trail is deliberate where another trail records the management events: flag it only
  // where it applies and nothing records them.
  const deliberateDataTrail =
    recordsDataEventsOnly(trail) === true && !options.neededForManagement.has(trail.arn);
  if (recordsManagementWrites(trail) === false && !deliberateDataTrail) {
    out.push([
      'trail-management-events-excluded',
      `${label}: event selectors do not record management write events`,
    ]);
  }
  if (!trail.logFileValidationEnabled) {
    out.push(['trail-log-validation-disabled', `${label}: log file integrity validation is off`]);
  }
  if (!trail.kmsKeyId)
    out.push(['trail-not-encrypted', `${label}: log files are not encrypted with a KMS key`]);
  if (!trail.isMultiRegion) {
    out.push(['trail-single-region-only', `${label} records only its home region ${trail.homeRegion}`]);
  }
  const bucketOwner = trail.s3BucketName ? options.bucketOwners[trail.s3BucketName] : undefined;
  if (bucketOwner && bucketOwner === trail.ownerAccountId && bucketOwner !== options.logArchiveAccountId) {
    out.push([
      'trail-logs-in-same-account',
      `${label} writes to bucket ${trail.s3BucketName ?? ''} in its own account ${bucketOwner}`,
    ]);
  }
  return out;
}

function finding(
  checkId: CoverageCheckId,
  account: { id: string; name: string | null },
  region: string | null,
  trailArn: string | null,
  summary: string,
): CoverageFinding {
  const { tier, risk } = COVERAGE_CHECKS[checkId];
  return {
    checkId,
    tier,
    risk,
    accountId: account.id,
    accountName: account.name,
    region,
    trailArn,
    summary,
    suppressed: false,
  };
}

/**
 * The coverage line: "N of M accounts and R of S account-regions fully covered", with "of at least M" when
 * the account listing failed midway (the unlisted accounts are uncounted, not absent).
 */
export function coverageLine(summary: CoverageSummary): string {
  const of = summary.accountsTotalIsMinimum ? 'of at least' : 'of';
  return `${summary.accountsCovered} ${of} ${summary.accountsTotal} accounts and ${summary.regionsCovered} of ${summary.regionsTotal} account-regions fully covered`;
}

/** Evaluates an org snapshot into coverage findings, a summary, errors and the accounts × regions matrix. */
export function evaluateCoverage(snapshot: OrgSnapshot, options: CoverageOptions): CoverageResult {
  const now = typeof options.now === 'string' ? new Date(options.now) : options.now;
  const logArchiveAccountId = options.logArchiveAccountId ?? snapshot.logArchiveAccountId;
  const errors: RunErrorEntry[] = snapshot.errors.map((e) => ({ ...e }));
  const findings: CoverageFinding[] = [];
  const matrix: CoverageCell[] = [];
  const audited = snapshot.accounts.filter((a) => a.status === 'audited');
  const trailOptions = {
    deliveryLagHours: options.deliveryLagHours,
    logArchiveAccountId,
    bucketOwners: snapshot.bucketOwners,
    neededForManagement: trailsNeededForManagement(audited, snapshot.regionFilter),
  };
  const byId = new Map(snapshot.accounts.map((a) => [a.id, a]));

  // Trail-level findings are reported once per trail, on the account that owns it when that account is in
  // the snapshot (an organization trail seen from 1,000 accounts is one trail to fix).
  const trailChecks = new Map<string, [CoverageCheckId, string][]>();
  const reportedTrails = new Set<string>();
  for (const account of audited) {
    for (const trail of account.trails) {
      if (!trailChecks.has(trail.arn)) trailChecks.set(trail.arn, trailProblems(trail, now, trailOptions));
      for (const failure of trail.errors) {
        errors.push({
          scope: 'account',
          id: account.id,
          code:
            failure.operation === 'GetEventSelectors'
              ? 'trail-selectors-unavailable'
              : 'trail-status-unavailable',
          message: `${failure.operation} for ${trail.name}: ${failure.code}: ${failure.message}`,
        });
      }
      if (reportedTrails.has(trail.arn)) continue;
      const owner = byId.get(trail.ownerAccountId);
      const reportOn =
        owner && owner.status === 'audited' && owner.trails.some((t) => t.arn === trail.arn)
          ? owner
          : account;
      if (reportOn !== account) continue;
      reportedTrails.add(trail.arn);
      for (const [checkId, summary] of trailChecks.get(trail.arn) ?? []) {
        findings.push(finding(checkId, account, trail.homeRegion, trail.arn, summary));
      }
    }
  }

  const allRegions = new Set<string>();
  const logging = new Set<string>();
  for (const account of audited) {
    const regions = auditedRegions(account, snapshot.regionFilter);
    for (const region of regions) {
      allRegions.add(region);
      const applying = account.trails.filter((t) => t.isMultiRegion || t.homeRegion === region);
      const recording = applying.filter(
        (t) => t.status?.isLogging === true && recordsManagementWrites(t) === true,
      );
      const unreadable = applying.filter((t) => t.status === null || recordsManagementWrites(t) === null);
      if (recording.length > 0) logging.add(account.id);
      const checks = new Set<string>();
      for (const trail of applying)
        for (const [checkId] of trailChecks.get(trail.arn) ?? []) checks.add(checkId);
      let status: CoverageStatus;
      if (recording.length === 0 && unreadable.length > 0) {
        // A trail we could not read may be the one covering the region: not audited, never "uncovered".
        status = 'not-audited';
      } else if (recording.length === 0) {
        checks.add('trail-region-uncovered');
        findings.push(
          finding(
            'trail-region-uncovered',
            account,
            region,
            null,
            applying.length === 0
              ? `no trail applies to ${region}`
              : `no logging trail records management write events in ${region} (${applying.length} trail${applying.length === 1 ? '' : 's'} apply)`,
          ),
        );
        status = 'problem';
      } else {
        const full = recording.some(
          (t) => t.logFileValidationEnabled && deliveryProblem(t, now, options.deliveryLagHours) === null,
        );
        status = full ? 'covered' : 'problem';
      }
      matrix.push({
        accountId: account.id,
        accountName: account.name,
        region,
        status,
        checks: [...checks].sort(),
      });
    }
  }

  // An account that could not be audited has no known regions: its row spans the regions seen elsewhere.
  const rowRegions = [...allRegions].sort();
  for (const account of snapshot.accounts) {
    if (account.status !== 'failed') continue;
    errors.push({
      scope: 'account',
      id: account.id,
      code: account.error?.code ?? 'account-failed',
      message: account.error?.message ?? 'the account could not be audited',
    });
    for (const region of rowRegions) {
      matrix.push({
        accountId: account.id,
        accountName: account.name,
        region,
        status: 'not-audited',
        checks: [],
      });
    }
  }

  // An account not audited because of its state is named with that state. A lifecycle state AWS documents
  // (SUSPENDED, CLOSED, …) is a warning: said in every output, and the account counts as not audited, but
  // the audit of the accounts that can be audited is whole. A state trailwatch does not know is an error.
  for (const account of snapshot.accounts) {
    if (account.status !== 'not-active') continue;
    const code = account.error?.code ?? 'account-state-unknown';
    errors.push({
      scope: 'account',
      id: account.id,
      code,
      message: account.error?.message ?? `not audited: the account's state is ${account.orgStatus}`,
      ...(code === 'account-state-unknown' ? {} : { severity: 'warning' as const }),
    });
  }

  // Zero is never clean: an audit that reached no account says so, whatever the reason.
  if (audited.length === 0 && !errors.some((e) => e.code === 'no-accounts-to-audit')) {
    const failedCount = snapshot.accounts.filter((a) => a.status === 'failed').length;
    const inactive = snapshot.accounts.length - failedCount;
    errors.push({
      scope: 'run',
      id: 'accounts',
      code: 'no-accounts-audited',
      message:
        snapshot.accounts.length === 0
          ? 'no account was found to audit: the audit covers nothing'
          : `no account was audited: of ${snapshot.accounts.length} accounts, ${failedCount} could not be audited and ${inactive} are not ACTIVE`,
    });
  }

  const auditedCells = matrix.filter((c) => byId.get(c.accountId)?.status === 'audited');
  const fullyCovered = new Map<string, boolean>();
  for (const cell of auditedCells) {
    fullyCovered.set(cell.accountId, (fullyCovered.get(cell.accountId) ?? true) && cell.status === 'covered');
  }
  const accountsCovered = [...fullyCovered.values()].filter(Boolean).length;
  const summary: CoverageSummary = {
    accountsTotal: snapshot.accounts.length,
    accountsCovered,
    accountsNotAudited: snapshot.accounts.length - audited.length,
    // A listing that failed midway leaves an unknown number of accounts unlisted: the total is a floor.
    ...(snapshot.errors.some((e) => e.code === 'list-accounts-failed')
      ? { accountsTotalIsMinimum: true }
      : {}),
    regionsTotal: auditedCells.length,
    regionsCovered: auditedCells.filter((c) => c.status === 'covered').length,
  };

  const order = (f: CoverageFinding) => `${f.accountId}|${f.region ?? ''}|${f.checkId}|${f.trailArn ?? ''}`;
  findings.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  matrix.sort((a, b) =>
    a.accountId === b.accountId ? (a.region < b.region ? -1 : 1) : a.accountId < b.accountId ? -1 : 1,
  );
  return { findings, summary, errors, matrix, loggingAccounts: [...logging].sort() };
}
