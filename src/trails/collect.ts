// The trail collector: for every discovered account, assume the audit role, list its enabled regions and the
// trails that apply to it, and read each trail's status and event selectors. The result is an org snapshot.
//
// Calls per account, and why that is the minimum the API allows:
//   1  AssumeRole (shared by the account's clients and refreshed by the SDK when it nears expiry)
//   1  DescribeRegions (or ListRegions): which regions are enabled, opt-in ones included only when opted in
//   1  ListTrails: account-wide, it names every trail that applies to the account (its own in every region,
//      and organization trails) with each trail's home region
//   h  DescribeTrails, once per distinct home region (usually 1), naming the trails by ARN with
//      includeShadowTrails: a multi-region or organization trail is described once, in its home region,
//      not once per region where it appears as a shadow; a single-region trail homed elsewhere is described
//      in its own home region instead of calling DescribeTrails in every enabled region
//   2t GetTrailStatus and GetEventSelectors, once per trail, in the trail's home region
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  paginateListTrails,
} from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { paginateListRegions } from '@aws-sdk/client-account';
import type { Config } from '../config/schema.js';
import {
  awsSection,
  homeRegion,
  type AccountClients,
  type AwsConfig,
  type ClientFactory,
} from '../aws/clients.js';
import { classifyAwsError, type AwsStage } from '../aws/errors.js';
import {
  discoverAccounts,
  NOT_AUDITED_STATE_CODES,
  NOT_AUDITED_STATES,
  type DiscoveredAccount,
  type NotAuditedState,
  type Discovery,
} from '../discover/accounts.js';
import type { ErrorCode } from '../shared/errors.js';
import { fanOut } from '../shared/fan-out.js';
import type { Logger } from '../shared/log.js';
import type { Progress } from '../shared/progress.js';
import type { AccountRecord, OrgSnapshot, RegionRecord, TrailRecord } from './snapshot.js';
import { iso, toAdvancedSelector, toEventSelector, toTrailRecord } from './trail-records.js';

/** Starts a progress report once the number of accounts is known. */
export type ProgressFactory = (total: number) => Progress;

/** Extra knobs for collection (tests, the bench). */
export interface CollectOptions {
  /** The clock for `collectedAt`. */
  now?: () => Date;
  /** Accounts already discovered (skips discovery). */
  discovery?: Discovery;
}

/** A failure of one stage of an account's audit, with its stable code. */
class StageError extends Error {
  override readonly name = 'StageError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

async function stage<T>(name: AwsStage, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StageError) throw error;
    const { code, message } = classifyAwsError(error, name);
    throw new StageError(code, `${what}: ${message}`, { cause: error });
  }
}

const ACCOUNT_API_STATUS: Record<string, RegionRecord['optInStatus']> = {
  ENABLED_BY_DEFAULT: 'opt-in-not-required',
  ENABLED: 'opted-in',
  ENABLING: 'opted-in',
  DISABLING: 'not-opted-in',
  DISABLED: 'not-opted-in',
};

interface AccountAudit {
  regions: RegionRecord[];
  trails: TrailRecord[];
}

/** Audits one account; throws StageError for an account-level failure. */
async function auditAccount(
  clients: AccountClients,
  aws: AwsConfig,
  signal: AbortSignal,
  counter: { calls: number },
): Promise<AccountAudit> {
  const options = { abortSignal: signal };
  const home = homeRegion(aws);
  await stage('assume-role', 'AssumeRole', () => clients.credentials());

  let regions: RegionRecord[] = [];
  const listed: { arn: string; homeRegion: string }[] = [];
  const first = await fanOut(['regions', 'trails'] as const, aws.concurrency.perAccount, async (what) => {
    if (what === 'regions') {
      if (aws.regionSource === 'account') {
        const out: RegionRecord[] = [];
        const pages = paginateListRegions(
          { client: clients.account() },
          { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT', 'ENABLING', 'DISABLING', 'DISABLED'] },
        );
        await stage('call', 'ListRegions', async () => {
          for await (const page of pages) {
            counter.calls += 1;
            for (const r of page.Regions ?? []) {
              if (r.RegionName) {
                out.push({
                  name: r.RegionName,
                  optInStatus: ACCOUNT_API_STATUS[r.RegionOptStatus ?? ''] ?? 'not-opted-in',
                });
              }
            }
          }
        });
        regions = out;
        return;
      }
      counter.calls += 1;
      const answer = await stage('call', 'DescribeRegions', () =>
        clients.ec2(home).send(new DescribeRegionsCommand({ AllRegions: true }), options),
      );
      regions = (answer.Regions ?? []).flatMap((r) =>
        r.RegionName
          ? [
              {
                name: r.RegionName,
                optInStatus:
                  r.OptInStatus === 'opted-in' || r.OptInStatus === 'not-opted-in'
                    ? r.OptInStatus
                    : ('opt-in-not-required' as const),
              },
            ]
          : [],
      );
      return;
    }
    await stage('call', 'ListTrails', async () => {
      for await (const page of paginateListTrails({ client: clients.cloudTrail(home) }, {})) {
        counter.calls += 1;
        for (const t of page.Trails ?? []) {
          if (t.TrailARN) listed.push({ arn: t.TrailARN, homeRegion: t.HomeRegion ?? home });
        }
      }
    });
  });
  for (const result of first) if (!result.ok) throw result.error;

  // One DescribeTrails per home region, naming the trails by ARN (shadow trails included).
  const byHome = new Map<string, string[]>();
  for (const t of listed) byHome.set(t.homeRegion, [...(byHome.get(t.homeRegion) ?? []), t.arn]);
  const trails = new Map<string, TrailRecord>();
  const described = await fanOut(
    [...byHome.entries()],
    aws.concurrency.perAccount,
    async ([region, arns]) => {
      counter.calls += 1;
      const answer = await stage('call', `DescribeTrails in ${region}`, () =>
        clients
          .cloudTrail(region)
          .send(new DescribeTrailsCommand({ trailNameList: arns, includeShadowTrails: true }), options),
      );
      for (const trail of answer.trailList ?? []) {
        if (trail.TrailARN && !trails.has(trail.TrailARN)) {
          trails.set(trail.TrailARN, toTrailRecord(trail, trail.TrailARN, region));
        }
      }
    },
  );
  for (const result of described) if (!result.ok) throw result.error;

  // Status and selectors once per trail, in its home region. A failure here belongs to the trail.
  const work = [...trails.values()].flatMap((trail) => [
    { trail, op: 'GetTrailStatus' as const },
    { trail, op: 'GetEventSelectors' as const },
  ]);
  const details = await fanOut(work, aws.concurrency.perAccount, async ({ trail, op }) => {
    const client = clients.cloudTrail(trail.homeRegion);
    counter.calls += 1;
    if (op === 'GetTrailStatus') {
      const s = await client.send(new GetTrailStatusCommand({ Name: trail.arn }), options);
      trail.status = {
        isLogging: s.IsLogging ?? false,
        latestDeliveryTime: iso(s.LatestDeliveryTime),
        latestDeliveryError: s.LatestDeliveryError || null,
        startLoggingTime: iso(s.StartLoggingTime),
        stopLoggingTime: iso(s.StopLoggingTime),
      };
      return;
    }
    const e = await client.send(new GetEventSelectorsCommand({ TrailName: trail.arn }), options);
    trail.eventSelectors = (e.EventSelectors ?? []).map(toEventSelector);
    trail.advancedEventSelectors = (e.AdvancedEventSelectors ?? []).map(toAdvancedSelector);
  });
  details.forEach((result, i) => {
    const item = work[i];
    if (result.ok || !item) return;
    if (signal.aborted) throw result.error;
    const { code, message } = classifyAwsError(result.error, 'call');
    item.trail.errors.push({ operation: item.op, code, message });
  });

  return { regions, trails: [...trails.values()].sort((a, b) => (a.arn < b.arn ? -1 : 1)) };
}

/** Runs `work` with a time limit: on expiry the signal aborts the account's calls and the promise rejects. */
async function withTimeLimit<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new StageError('account-timeout', `the account was not audited within ${ms / 1000} seconds`));
    }, ms);
  });
  const running = work(controller.signal);
  // The abandoned work may still reject after the deadline; that outcome is already recorded.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the snapshot records of an account from discovery, audited or not. */
function accountFacts(
  account: DiscoveredAccount,
): Pick<AccountRecord, 'id' | 'name' | 'email' | 'orgStatus' | 'ou'> {
  return {
    id: account.id,
    name: account.name,
    email: account.email ?? null,
    orgStatus: account.status,
    ou: account.ou ?? null,
  };
}

function failed(
  account: DiscoveredAccount,
  code: ErrorCode,
  message: string,
  calls: number,
  ms: number,
): AccountRecord {
  return {
    ...accountFacts(account),
    status: 'failed',
    error: { code, message },
    regions: [],
    trails: [],
    calls,
    durationMs: ms,
  };
}

/** The record of an account not audited because of its Organizations state (SUSPENDED, CLOSED, …). */
function notActive(account: DiscoveredAccount): AccountRecord {
  const known = (NOT_AUDITED_STATES as readonly string[]).includes(account.status);
  return {
    ...accountFacts(account),
    status: 'not-active',
    error: known
      ? {
          code: NOT_AUDITED_STATE_CODES[account.status as NotAuditedState],
          message: `not audited: the account's state in Organizations is ${account.status}; it may still hold data and trails`,
        }
      : {
          code: 'account-state-unknown',
          message: `not audited: the account's state in Organizations is ${account.status}, which trailwatch does not know`,
        },
    regions: [],
    trails: [],
    calls: 0,
    durationMs: 0,
  };
}

/** Collects the org snapshot: discovery, then every account's regions and trails, failures recorded per account. */
export async function collectOrgSnapshot(
  config: Config,
  clients: ClientFactory,
  log: Logger,
  progress?: ProgressFactory,
  options: CollectOptions = {},
): Promise<OrgSnapshot> {
  const now = options.now ?? (() => new Date());
  const aws = awsSection(config);
  const collectedAt = now().toISOString();
  const discovery = options.discovery ?? (await discoverAccounts(config, clients, log));
  const report = progress?.(discovery.accounts.length);
  const accountMs = Math.round(aws.timeouts.accountSeconds * 1000);

  const results = await fanOut(
    discovery.accounts,
    aws.concurrency.global,
    async (account): Promise<AccountRecord> => {
      const started = Date.now();
      const accountLog = log.child({ accountId: account.id });
      const accountClients = clients.forAccount(account.id);
      const counter = { calls: 0 };
      try {
        const audit = await withTimeLimit(accountMs, (signal) =>
          auditAccount(accountClients, aws, signal, counter),
        );
        accountLog.debug('account audited', { regions: audit.regions.length, trails: audit.trails.length });
        return {
          ...accountFacts(account),
          status: 'audited',
          error: null,
          regions: audit.regions,
          trails: audit.trails,
          calls: counter.calls,
          durationMs: Date.now() - started,
        };
      } catch (error) {
        const code = error instanceof StageError ? error.code : classifyAwsError(error, 'call').code;
        const message = error instanceof StageError ? error.message : classifyAwsError(error, 'call').message;
        accountLog.warn('account not audited', { code, reason: message });
        return failed(account, code, message, counter.calls, Date.now() - started);
      } finally {
        accountClients.destroy();
        report?.tick();
      }
    },
  );

  const accounts = results.map((result, i): AccountRecord => {
    if (result.ok) return result.value;
    // auditAccount's failures are caught above; this is a bug-shaped failure, still recorded per account.
    const account = discovery.accounts[i];
    return failed(
      account ?? { id: '000000000000', name: null, status: 'UNKNOWN' },
      'collector-failed',
      String(result.error),
      0,
      0,
    );
  });
  const failedCount = accounts.filter((a) => a.status === 'failed').length;
  report?.done({ accounts: accounts.length, failed: failedCount });
  const skipped = (discovery.notActive ?? []).map(notActive);
  for (const account of skipped) {
    log.warn('account not audited', { accountId: account.id, state: account.orgStatus });
  }

  return {
    kind: 'trailwatch-org-snapshot',
    version: 1,
    collectedAt,
    organizationId: discovery.organizationId,
    managementAccountId: discovery.managementAccountId,
    homeRegion: homeRegion(aws),
    regionFilter: aws.regions ?? null,
    logArchiveAccountId: config.coverage.logArchiveAccountId ?? null,
    bucketOwners: { ...(config.coverage.bucketOwners ?? {}) },
    accounts: [...accounts, ...skipped],
    errors: discovery.errors,
  };
}
