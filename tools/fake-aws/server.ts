// A fake AWS endpoint on 127.0.0.1 that speaks the real wire protocols for the operations trailwatch calls:
// JSON 1.1 with X-Amz-Target (Organizations, CloudTrail), the Query protocol with XML answers (STS, EC2) and
// REST-JSON (Account, and SESv2 SendEmail, whose messages it keeps for the tests to read). Athena (JSON 1.1)
// runs its queries on a real DuckDB over a folder of CloudTrail files. Real SDK clients point at it through
// `endpoint`, so signing, serialization, pagination, errors and retries run for real. Credentials it issues
// in AssumeRole map back to the account, which is how it knows whose trails to answer with. Faults can be
// injected per account and operation.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeAthenaError, startFakeAthena, type FakeAthena, type FakeAthenaOptions } from './athena.js';
import { FakeGlueError, startFakeGlue, type FakeGlue } from './glue.js';
import { FakeS3Error, s3ErrorXml, s3Operation, startFakeS3, type FakeS3, type FakeS3Bucket } from './s3.js';
import { fakeTrailArn, type FakeAccount, type FakeOrg, type FakeTrail } from './model.js';

/** A fault to inject: what goes wrong, for which account / operation / region, and how many times. */
export interface FakeFault {
  /** `rejected`: SES's MessageRejected (an unverified address, say), whatever the operation. */
  kind: 'access-denied' | 'throttle' | 'server-error' | 'rejected' | 'slow' | 'hang' | 'malformed';
  /** The account the call is for (for AssumeRole: the account of the role being assumed). */
  accountId?: string;
  operation?: string;
  region?: string;
  /** Apply to this many matching calls, then answer normally (default: every matching call). */
  times?: number;
  /** Answer this many matching calls normally before the fault starts (e.g. a later page). */
  after?: number;
  /** For `slow`: the delay before answering. */
  delayMs?: number;
}

/** Options of the fake endpoint. */
export interface FakeAwsOptions {
  /** Latency added to every call. */
  latencyMs?: number;
  faults?: FakeFault[];
  /** Items per page for paginated list operations (Organizations caps ListAccounts at 20). */
  pageSize?: number;
  /** Lifetime of issued session credentials. */
  credentialLifetimeSeconds?: number;
  /**
   * Throttle every Nth call (a ThrottlingException or the protocol's equivalent); the caller's retry is a
   * later call and goes through, so each throttled call is throttled once. 100 throttles 1 % of calls.
   */
  throttleEvery?: number;
  /** Serve Athena over these CloudTrail files (unset: Athena calls fail as an unknown service). */
  athena?: FakeAthenaOptions;
  /** S3 buckets (path-style addressing); an evidence upload writes here. */
  s3Buckets?: FakeS3Bucket[];
}

/** Credentials issued by the fake (kept so tests can prove none of them leak into output). */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  kind: 'hub' | 'audit';
}

/** One AssumeRole request as the fake saw it. */
export interface AssumeRoleRecord {
  roleArn: string;
  sessionName: string;
  externalId: string | null;
  callerKind: 'runner' | 'hub' | 'audit';
  outcome: 'issued' | 'denied' | 'fault';
}

/** One SESv2 SendEmail the fake accepted, as it saw it. */
export interface FakeSentEmail {
  /** The raw MIME message, decoded from `Content.Raw.Data`. */
  raw: string;
  fromEmailAddress: string | undefined;
  toAddresses: string[];
  /** The region and service named in the request's SigV4 credential scope. */
  signingRegion: string;
  signingService: string;
  /** Who signed it: the runner's static credentials, a hub session or an audit-role session. */
  callerKind: 'runner' | 'hub' | 'audit';
  accountId: string;
  /** The MessageId the fake answered with. */
  messageId: string;
}

/** A running fake endpoint. */
export interface FakeAws {
  endpoint: string;
  org: FakeOrg;
  faults: FakeFault[];
  /**
   * Calls answered or faulted, by account (AssumeRole counts for the role's account) and by operation;
   * `throttled` counts the calls `throttleEvery` throttled, by account too.
   */
  stats: {
    calls: number;
    byAccount: Map<string, number>;
    byOperation: Map<string, number>;
    throttled: number;
    throttledByAccount: Map<string, number>;
  };
  issued: IssuedCredentials[];
  assumeRoles: AssumeRoleRecord[];
  /** Emails SendEmail accepted, oldest first. */
  emails: FakeSentEmail[];
  /** The fake Athena, when `options.athena` was given: its queries and query faults. */
  athena?: FakeAthena;
  /** The Glue Data Catalog (Athena's tables live there). */
  glue: FakeGlue;
  /** S3: its buckets, every stored object version, every request. */
  s3: FakeS3;
  resetStats(): void;
  close(): Promise<void>;
}

/** The runner's static credentials the fake accepts (they belong to `org.runnerAccountId`). */
export const FAKE_RUNNER_CREDENTIALS = {
  accessKeyId: 'AKIAFAKERUNNER000001',
  secretAccessKey: 'fakeRunnerSecretKey0000000000000000000001',
} as const;

type Protocol = 'json' | 'rest-json' | 'query-sts' | 'query-ec2';

/** REST-JSON operations by method and path. */
const REST_ROUTES: Record<string, string> = {
  'POST /listRegions': 'ListRegions',
  'POST /v2/email/outbound-emails': 'SendEmail',
};

interface Caller {
  accountId: string;
  kind: 'runner' | 'hub' | 'audit';
}

class FakeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}

function xmlEscape(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function epochSeconds(date: Date | undefined): number | undefined {
  return date ? date.getTime() / 1000 : undefined;
}

function page<T>(items: readonly T[], token: unknown, size: number): { items: T[]; next?: string } {
  let start = 0;
  if (typeof token === 'string' && token !== '') {
    const decoded = Number(
      Buffer.from(token, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(decoded) || decoded < 0)
      throw new FakeError(400, 'InvalidInputException', 'bad NextToken');
    start = decoded;
  }
  const end = start + size;
  return {
    items: items.slice(start, end),
    ...(end < items.length ? { next: Buffer.from(`offset:${end}`).toString('base64url') } : {}),
  };
}

/** Starts the fake AWS endpoint for `org` on 127.0.0.1 (a free port). */
export async function startFakeAws(org: FakeOrg, options: FakeAwsOptions = {}): Promise<FakeAws> {
  const latencyMs = options.latencyMs ?? 0;
  const pageSize = options.pageSize ?? 20;
  const lifetime = options.credentialLifetimeSeconds ?? 3600;
  const faults = [...(options.faults ?? [])];
  const faultUses = new Map<FakeFault, number>();
  const sessions = new Map<string, IssuedCredentials>();
  const issued: IssuedCredentials[] = [];
  const assumeRoles: AssumeRoleRecord[] = [];
  const emails: FakeSentEmail[] = [];
  const accounts = new Map(org.accounts.map((a) => [a.id, a]));
  const management = accounts.get(org.managementAccountId);
  const glue = startFakeGlue();
  const s3 = startFakeS3(options.s3Buckets);
  const athena = options.athena ? await startFakeAthena(options.athena, glue) : undefined;
  const stats = {
    calls: 0,
    byAccount: new Map<string, number>(),
    byOperation: new Map<string, number>(),
    throttled: 0,
    throttledByAccount: new Map<string, number>(),
  };

  const ownTrails = (account: FakeAccount) =>
    (account.trails ?? []).map((trail) => ({
      trail,
      owner: account.id,
      arn: fakeTrailArn(account.id, trail),
    }));
  const visibleTrails = (accountId: string) => {
    const account = accounts.get(accountId);
    if (!account) return [];
    const own = ownTrails(account);
    if (!management || accountId === management.id || account.underOrganizationTrails === false) return own;
    const orgTrails = ownTrails(management).filter((t) => t.trail.isOrganizationTrail);
    return [...orgTrails, ...own];
  };

  function resolveCaller(req: IncomingMessage): Caller & { region: string; service: string } {
    const auth = req.headers.authorization ?? '';
    const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
    if (!match)
      throw new FakeError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    const [, keyId = '', region = '', service = ''] = match;
    if (keyId === FAKE_RUNNER_CREDENTIALS.accessKeyId) {
      return { accountId: org.runnerAccountId ?? org.managementAccountId, kind: 'runner', region, service };
    }
    const session = sessions.get(keyId);
    if (!session || req.headers['x-amz-security-token'] !== session.sessionToken) {
      throw new FakeError(
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
    }
    return { accountId: session.accountId, kind: session.kind, region, service };
  }

  function matchFault(
    accountId: string | undefined,
    operation: string,
    region: string,
  ): FakeFault | undefined {
    for (const fault of faults) {
      if (fault.accountId !== undefined && fault.accountId !== accountId) continue;
      if (fault.operation !== undefined && fault.operation !== operation) continue;
      if (fault.region !== undefined && fault.region !== region) continue;
      const seen = faultUses.get(fault) ?? 0;
      faultUses.set(fault, seen + 1);
      const skip = fault.after ?? 0;
      if (seen < skip) continue;
      if (fault.times !== undefined && seen - skip >= fault.times) continue;
      return fault;
    }
    return undefined;
  }

  // --- STS -------------------------------------------------------------------------------------------------
  function assumeRole(caller: Caller, params: URLSearchParams): string {
    const roleArn = params.get('RoleArn') ?? '';
    const sessionName = params.get('RoleSessionName') ?? '';
    const externalId = params.get('ExternalId');
    const record: AssumeRoleRecord = {
      roleArn,
      sessionName,
      externalId,
      callerKind: caller.kind,
      outcome: 'denied',
    };
    assumeRoles.push(record);
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      throw new FakeError(400, 'ValidationError', 'RoleSessionName is invalid');
    }
    const deny = () =>
      new FakeError(
        403,
        'AccessDenied',
        `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    const match = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
    if (!match) throw new FakeError(400, 'ValidationError', 'RoleArn is invalid');
    const [, accountId = '', roleName = ''] = match;
    let kind: 'hub' | 'audit';
    if (org.hubRoleArn && roleArn === org.hubRoleArn) {
      if (caller.kind !== 'runner') throw deny();
      kind = 'hub';
    } else {
      const account = accounts.get(accountId);
      // A suspended, closing or closed account's roles cannot be assumed; nor can a not-yet-active one's.
      if (!account || (account.state ?? 'ACTIVE') !== 'ACTIVE' || roleName !== org.roleName) throw deny();
      if (org.hubRoleArn && caller.kind !== 'hub') throw deny();
      if (org.externalId !== undefined && externalId !== org.externalId) throw deny();
      kind = 'audit';
    }
    const credentials: IssuedCredentials = {
      accessKeyId: `ASIA${randomId(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2VjEFAKE${randomBytes(120).toString('base64')}`,
      accountId,
      kind,
    };
    sessions.set(credentials.accessKeyId, credentials);
    issued.push(credentials);
    record.outcome = 'issued';
    const duration = Number(params.get('DurationSeconds') ?? lifetime);
    const expiration = new Date(Date.now() + Math.min(duration, lifetime) * 1000).toISOString();
    return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>${credentials.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${credentials.secretAccessKey}</SecretAccessKey>
      <SessionToken>${credentials.sessionToken}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::${accountId}:assumed-role/${xmlEscape(roleName)}/${xmlEscape(sessionName)}</Arn>
      <AssumedRoleId>AROA${randomId(16)}:${xmlEscape(sessionName)}</AssumedRoleId>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>${randomId(8)}</RequestId></ResponseMetadata>
</AssumeRoleResponse>`;
  }

  // --- EC2 -------------------------------------------------------------------------------------------------
  function optInStatus(
    account: FakeAccount,
    region: string,
  ): 'opt-in-not-required' | 'opted-in' | 'not-opted-in' {
    if (org.defaultRegions.includes(region)) return 'opt-in-not-required';
    return account.optedInRegions?.includes(region) ? 'opted-in' : 'not-opted-in';
  }

  function describeRegions(caller: Caller, params: URLSearchParams): string {
    const account = accounts.get(caller.accountId);
    if (!account) throw new FakeError(403, 'UnauthorizedOperation', 'not authorized');
    const all = params.get('AllRegions') === 'true';
    const items = [...org.defaultRegions, ...org.optInRegions]
      .map((name) => ({ name, status: optInStatus(account, name) }))
      .filter((r) => all || r.status !== 'not-opted-in')
      .map(
        (r) =>
          `<item><regionName>${r.name}</regionName><regionEndpoint>ec2.${r.name}.amazonaws.com</regionEndpoint><optInStatus>${r.status}</optInStatus></item>`,
      )
      .join('');
    return `<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${randomId(8)}</requestId><regionInfo>${items}</regionInfo></DescribeRegionsResponse>`;
  }

  // --- Account (REST-JSON) ---------------------------------------------------------------------------------
  function listRegions(caller: Caller, body: Record<string, unknown>): unknown {
    const account = accounts.get(caller.accountId);
    if (!account) throw new FakeError(403, 'AccessDeniedException', 'not authorized');
    const wanted = Array.isArray(body.RegionOptStatusContains)
      ? (body.RegionOptStatusContains as string[])
      : null;
    const regions = [...org.defaultRegions, ...org.optInRegions]
      .map((name) => {
        const status = optInStatus(account, name);
        const mapped =
          status === 'opt-in-not-required'
            ? 'ENABLED_BY_DEFAULT'
            : status === 'opted-in'
              ? 'ENABLED'
              : 'DISABLED';
        return { RegionName: name, RegionOptStatus: mapped };
      })
      .filter((r) => wanted === null || wanted.includes(r.RegionOptStatus));
    const { items, next } = page(regions, body.NextToken, pageSize);
    return { Regions: items, ...(next ? { NextToken: next } : {}) };
  }

  // --- Organizations ---------------------------------------------------------------------------------------
  // The retired `Status` knew three values; a legacy organization with another state is a test's mistake.
  function legacyStatus(state: string): string {
    if (state === 'ACTIVE' || state === 'SUSPENDED' || state === 'PENDING_CLOSURE') return state;
    throw new Error(`the legacy Status field has no value for state ${state}`);
  }
  const orgAccount = (a: FakeAccount) => ({
    Id: a.id,
    Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${a.id}`,
    Email: a.email,
    Name: a.name,
    ...(org.accountLifecycleField === 'legacy-status'
      ? { Status: legacyStatus(a.state ?? 'ACTIVE') }
      : { State: a.state ?? 'ACTIVE' }),
    JoinedMethod: a.id === org.managementAccountId ? 'CREATED' : 'INVITED',
    JoinedTimestamp: 1_600_000_000,
  });

  function organizations(caller: Caller, operation: string, body: Record<string, unknown>): unknown {
    if (caller.accountId !== org.managementAccountId) {
      throw new FakeError(
        400,
        'AccessDeniedException',
        'You don’t have permissions to access this resource.',
      );
    }
    const size = Math.min(pageSize, typeof body.MaxResults === 'number' ? body.MaxResults : 20);
    switch (operation) {
      case 'DescribeOrganization':
        return {
          Organization: {
            Id: org.id,
            Arn: `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`,
            FeatureSet: 'ALL',
            MasterAccountArn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${org.managementAccountId}`,
            MasterAccountId: org.managementAccountId,
            MasterAccountEmail: management?.email ?? 'management@example.com',
          },
        };
      case 'ListAccounts': {
        const { items, next } = page(org.accounts, body.NextToken, size);
        return { Accounts: items.map(orgAccount), ...(next ? { NextToken: next } : {}) };
      }
      case 'ListAccountsForParent': {
        const parent = String(body.ParentId ?? '');
        const children = org.accounts.filter((a) => (a.parentId ?? org.rootId) === parent);
        const { items, next } = page(children, body.NextToken, size);
        return { Accounts: items.map(orgAccount), ...(next ? { NextToken: next } : {}) };
      }
      case 'ListOrganizationalUnitsForParent': {
        const parent = String(body.ParentId ?? '');
        const children = (org.ous ?? []).filter((ou) => ou.parentId === parent);
        const { items, next } = page(children, body.NextToken, size);
        return {
          OrganizationalUnits: items.map((ou) => ({
            Id: ou.id,
            Name: ou.name,
            Arn: `arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${ou.id}`,
          })),
          ...(next ? { NextToken: next } : {}),
        };
      }
      default:
        throw new FakeError(400, 'UnknownOperationException', `unknown operation ${operation}`);
    }
  }

  // --- CloudTrail ------------------------------------------------------------------------------------------
  const trailJson = (t: { trail: FakeTrail; arn: string }) => ({
    Name: t.trail.name,
    S3BucketName: t.trail.s3BucketName,
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: t.trail.isMultiRegion,
    HomeRegion: t.trail.homeRegion,
    TrailARN: t.arn,
    LogFileValidationEnabled: t.trail.logFileValidation,
    ...(t.trail.kmsKeyId ? { KmsKeyId: t.trail.kmsKeyId } : {}),
    HasCustomEventSelectors: Boolean(t.trail.eventSelectors ?? t.trail.advancedEventSelectors),
    HasInsightSelectors: false,
    IsOrganizationTrail: t.trail.isOrganizationTrail ?? false,
  });

  function findTrail(caller: Caller & { region: string }, name: unknown) {
    const wanted = String(name ?? '');
    const found = visibleTrails(caller.accountId).find((t) =>
      wanted.startsWith('arn:')
        ? t.arn === wanted
        : t.trail.name === wanted && t.trail.homeRegion === caller.region,
    );
    if (!found || (found.trail.homeRegion !== caller.region && !found.trail.isMultiRegion)) {
      throw new FakeError(
        400,
        'TrailNotFoundException',
        `Unknown trail: ${wanted} for the user: ${caller.accountId}`,
      );
    }
    return found;
  }

  function cloudTrail(
    caller: Caller & { region: string },
    operation: string,
    body: Record<string, unknown>,
  ): unknown {
    switch (operation) {
      case 'ListTrails': {
        const all = visibleTrails(caller.accountId).map((t) => ({
          TrailARN: t.arn,
          Name: t.trail.name,
          HomeRegion: t.trail.homeRegion,
        }));
        const { items, next } = page(all, body.NextToken, pageSize);
        return { Trails: items, ...(next ? { NextToken: next } : {}) };
      }
      case 'DescribeTrails': {
        const names = Array.isArray(body.trailNameList) ? (body.trailNameList as string[]) : [];
        const shadows = body.includeShadowTrails !== false;
        const list = visibleTrails(caller.accountId).filter((t) => {
          if (names.length > 0) {
            return names.some((n) =>
              n.startsWith('arn:') ? n === t.arn : n === t.trail.name && t.trail.homeRegion === caller.region,
            );
          }
          return t.trail.homeRegion === caller.region || (shadows && t.trail.isMultiRegion);
        });
        return { trailList: list.map(trailJson) };
      }
      case 'GetTrailStatus': {
        const { trail } = findTrail(caller, body.Name);
        return {
          IsLogging: trail.isLogging,
          LatestDeliveryTime: epochSeconds(trail.latestDeliveryTime),
          LatestDeliveryError: trail.latestDeliveryError,
          StartLoggingTime: epochSeconds(trail.startLoggingTime),
          StopLoggingTime: epochSeconds(trail.stopLoggingTime),
        };
      }
      case 'GetEventSelectors': {
        const found = findTrail(caller, body.TrailName);
        const { trail } = found;
        if (trail.advancedEventSelectors) {
          return { TrailARN: found.arn, AdvancedEventSelectors: trail.advancedEventSelectors };
        }
        // CloudTrail's default selector: every management event, no data events.
        const selectors = trail.eventSelectors ?? [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: true,
            DataResources: [],
            ExcludeManagementEventSources: [],
          },
        ];
        return { TrailARN: found.arn, EventSelectors: selectors };
      }
      default:
        throw new FakeError(400, 'UnknownOperationException', `unknown operation ${operation}`);
    }
  }

  // --- SESv2 ---------------------------------------------------------------------------------------------
  function sendEmail(caller: Caller & { region: string; service: string }, body: Record<string, unknown>) {
    // The digest is sent with the runner's (or hub's) own credentials; the audit roles may not send email.
    if (caller.kind === 'audit') {
      throw new FakeError(
        403,
        'AccessDeniedException',
        `User \`arn:aws:sts::${caller.accountId}:assumed-role/${org.roleName}/trailwatch' is not authorized to perform \`ses:SendRawEmail' on resource \`arn:aws:ses:${caller.region}:${caller.accountId}:identity/${String(body.FromEmailAddress ?? '')}'`,
      );
    }
    const content = body.Content as { Raw?: { Data?: unknown } } | undefined;
    const data = content?.Raw?.Data;
    if (typeof data !== 'string' || data === '') {
      throw new FakeError(400, 'BadRequestException', 'Content.Raw.Data is required for a raw message');
    }
    const destination = body.Destination as { ToAddresses?: unknown } | undefined;
    const messageId = `0100019${randomId(9).toLowerCase()}-${randomUUID()}-000000`;
    emails.push({
      raw: Buffer.from(data, 'base64').toString('utf8'),
      fromEmailAddress: typeof body.FromEmailAddress === 'string' ? body.FromEmailAddress : undefined,
      toAddresses: Array.isArray(destination?.ToAddresses) ? destination.ToAddresses.map(String) : [],
      signingRegion: caller.region,
      signingService: caller.service,
      callerKind: caller.kind,
      accountId: caller.accountId,
      messageId,
    });
    return { MessageId: messageId };
  }

  // --- Athena and Glue ----------------------------------------------------------------------------------------
  async function queryService(
    service: { handle(operation: string, body: Record<string, unknown>): unknown },
    caller: Caller & { service: string },
    operation: string,
    body: Record<string, unknown>,
  ): Promise<unknown> {
    // Athena and Glue are called with the runner's (or hub's) own credentials; the audit roles are
    // read-only on CloudTrail and have no Athena or Glue permissions.
    if (caller.kind === 'audit') {
      throw new FakeError(
        400,
        'AccessDeniedException',
        `User is not authorized to perform: ${caller.service}:${operation}`,
      );
    }
    return service.handle(operation, body);
  }

  // --- S3 (REST + XML) -------------------------------------------------------------------------------------
  function sendS3Error(res: ServerResponse, error: FakeS3Error, close = false): void {
    const requestId = randomId(16);
    res.writeHead(error.status, {
      'content-type': 'application/xml',
      'x-amz-request-id': requestId,
      ...(close ? { connection: 'close' } : {}),
    });
    res.end(s3ErrorXml(error, requestId));
  }

  function answerS3(
    req: IncomingMessage,
    res: ServerResponse,
    caller: Caller & { region: string },
    body: Buffer,
  ) {
    const method = req.method ?? '';
    const url = req.url ?? '/';
    const operation = s3Operation(method, url);
    stats.calls += 1;
    stats.byOperation.set(operation, (stats.byOperation.get(operation) ?? 0) + 1);
    try {
      // The evidence bucket is written with the runner's (or hub's) credentials; the audit roles may not.
      if (caller.kind === 'audit') throw new FakeS3Error(403, 'AccessDenied', 'Access Denied');
      const fault = matchFault(caller.accountId, operation, caller.region);
      if (fault?.kind === 'server-error')
        throw new FakeS3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      if (fault?.kind === 'access-denied') throw new FakeS3Error(403, 'AccessDenied', 'Access Denied');
      const answer = s3.handle(method, url, req.headers, body);
      res.writeHead(answer.status, { 'x-amz-request-id': randomId(16), ...answer.headers });
      res.end(answer.body);
    } catch (error) {
      if (error instanceof FakeS3Error) sendS3Error(res, error);
      else
        sendS3Error(
          res,
          new FakeS3Error(500, 'InternalError', error instanceof Error ? error.message : String(error)),
        );
    }
  }

  // --- wire ------------------------------------------------------------------------------------------------
  function sendError(res: ServerResponse, protocol: Protocol, error: FakeError): void {
    const requestId = randomId(8);
    if (protocol === 'query-sts') {
      res.writeHead(error.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
      res.end(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${error.code}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
      return;
    }
    if (protocol === 'query-ec2') {
      res.writeHead(error.status, { 'content-type': 'text/xml;charset=UTF-8' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${error.code}</Code><Message>${xmlEscape(error.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      );
      return;
    }
    const type = protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json';
    res.writeHead(error.status, {
      'content-type': type,
      'x-amzn-errortype': error.code,
      'x-amzn-requestid': requestId,
    });
    res.end(
      JSON.stringify(
        protocol === 'json' ? { __type: error.code, message: error.message } : { message: error.message },
      ),
    );
  }

  function faultError(
    protocol: Protocol,
    kind: 'access-denied' | 'throttle' | 'server-error' | 'rejected',
  ): FakeError {
    if (kind === 'rejected') {
      return new FakeError(400, 'MessageRejected', 'Email address is not verified.');
    }
    if (kind === 'access-denied') {
      if (protocol === 'query-sts')
        return new FakeError(403, 'AccessDenied', 'not authorized to perform: sts:AssumeRole');
      if (protocol === 'query-ec2')
        return new FakeError(
          403,
          'UnauthorizedOperation',
          'You are not authorized to perform this operation.',
        );
      return new FakeError(
        protocol === 'json' ? 400 : 403,
        'AccessDeniedException',
        'User is not authorized to perform this action',
      );
    }
    if (kind === 'throttle') {
      if (protocol === 'query-sts') return new FakeError(400, 'Throttling', 'Rate exceeded');
      if (protocol === 'query-ec2')
        return new FakeError(503, 'RequestLimitExceeded', 'Request limit exceeded.');
      if (protocol === 'rest-json') return new FakeError(429, 'TooManyRequestsException', 'Rate exceeded');
      return new FakeError(400, 'ThrottlingException', 'Rate exceeded');
    }
    return new FakeError(
      500,
      protocol === 'query-ec2' ? 'InternalError' : 'InternalFailure',
      'An internal error occurred',
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    if (latencyMs > 0) await sleep(latencyMs);
    const target = req.headers['x-amz-target'];
    let protocol: Protocol = typeof target === 'string' ? 'json' : 'rest-json';
    try {
      const caller = resolveCaller(req);
      if (caller.service === 's3') {
        answerS3(req, res, caller, bytes);
        return;
      }
      let operation: string;
      let form = new URLSearchParams();
      let body: Record<string, unknown> = {};
      if (typeof target === 'string') {
        operation = target.split('.').pop() ?? '';
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } else if (caller.service === 'sts' || caller.service === 'ec2') {
        protocol = caller.service === 'sts' ? 'query-sts' : 'query-ec2';
        form = new URLSearchParams(raw);
        operation = form.get('Action') ?? '';
      } else {
        const route = `${req.method ?? ''} ${req.url ?? ''}`;
        operation = REST_ROUTES[route] ?? `unknown ${route}`;
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      }
      const roleAccount = /^arn:aws:iam::(\d{12}):/.exec(form.get('RoleArn') ?? '')?.[1];
      const forAccount = operation === 'AssumeRole' ? roleAccount : caller.accountId;
      stats.calls += 1;
      if (forAccount) stats.byAccount.set(forAccount, (stats.byAccount.get(forAccount) ?? 0) + 1);
      stats.byOperation.set(operation, (stats.byOperation.get(operation) ?? 0) + 1);

      if (options.throttleEvery && stats.calls % options.throttleEvery === 0) {
        stats.throttled += 1;
        if (forAccount) {
          stats.throttledByAccount.set(forAccount, (stats.throttledByAccount.get(forAccount) ?? 0) + 1);
        }
        throw faultError(protocol, 'throttle');
      }
      const fault = matchFault(forAccount, operation, caller.region);
      if (fault?.kind === 'hang') return; // never answer; the client's time limits must cut it off
      if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 1000);
      if (fault && fault.kind !== 'slow') {
        if (operation === 'AssumeRole') {
          assumeRoles.push({
            roleArn: form.get('RoleArn') ?? '',
            sessionName: form.get('RoleSessionName') ?? '',
            externalId: form.get('ExternalId'),
            callerKind: caller.kind,
            outcome: 'fault',
          });
        }
        if (fault.kind === 'malformed') {
          // A page cut short: valid headers, a truncated document.
          const xml = protocol === 'query-sts' || protocol === 'query-ec2';
          res.writeHead(200, { 'content-type': xml ? 'text/xml' : 'application/x-amz-json-1.1' });
          res.end(
            xml ? '<DescribeRegionsResponse><regionInfo><item><regionName>us-' : '{"Accounts":[{"Id":"1',
          );
          return;
        }
        throw faultError(protocol, fault.kind);
      }

      let answer: string;
      if (protocol === 'query-sts') {
        if (operation !== 'AssumeRole')
          throw new FakeError(400, 'InvalidAction', `unknown action ${operation}`);
        answer = assumeRole(caller, form);
        res.writeHead(200, { 'content-type': 'text/xml' });
      } else if (protocol === 'query-ec2') {
        if (operation !== 'DescribeRegions')
          throw new FakeError(400, 'InvalidAction', `unknown action ${operation}`);
        answer = describeRegions(caller, form);
        res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
      } else if (protocol === 'rest-json') {
        if (operation === 'ListRegions') answer = JSON.stringify(listRegions(caller, body));
        else if (operation === 'SendEmail') answer = JSON.stringify(sendEmail(caller, body));
        else throw new FakeError(404, 'UnknownOperationException', operation);
        res.writeHead(200, { 'content-type': 'application/json' });
      } else {
        const result =
          caller.service === 'organizations'
            ? organizations(caller, operation, body)
            : caller.service === 'cloudtrail'
              ? cloudTrail(caller, operation, body)
              : caller.service === 'athena' && athena
                ? await queryService(athena, caller, operation, body)
                : caller.service === 'glue'
                  ? await queryService(glue, caller, operation, body)
                  : undefined;
        if (result === undefined)
          throw new FakeError(400, 'UnknownOperationException', `unknown service ${caller.service}`);
        answer = JSON.stringify(result);
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      }
      res.end(answer);
    } catch (error) {
      if (error instanceof FakeError) {
        sendError(res, protocol, error);
        return;
      }
      if (error instanceof FakeAthenaError || error instanceof FakeGlueError) {
        sendError(res, protocol, new FakeError(error.status, error.code, error.message));
        return;
      }
      sendError(
        res,
        protocol,
        new FakeError(500, 'InternalFailure', error instanceof Error ? error.message : String(error)),
      );
    }
  }

  const server: Server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    void handle(req, res);
  });
  // A request that says `Expect: 100-continue` (the SDK says it for S3 bodies of 2 MB and more) waits for
  // the go-ahead before sending its body. S3 refuses a write it will not accept (a denied or missing bucket)
  // right there, with the error instead of `100 Continue`, and closes the connection: the body is never sent.
  server.on('checkContinue', (req, res) => {
    const refused = /\/s3\/aws4_request/.test(req.headers.authorization ?? '')
      ? s3.refuseEarly(req.method ?? '', req.url ?? '/')
      : null;
    if (refused) {
      stats.calls += 1;
      sendS3Error(res, refused, true);
      return;
    }
    res.writeContinue();
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    org,
    faults,
    stats,
    issued,
    assumeRoles,
    emails,
    ...(athena ? { athena } : {}),
    glue,
    s3,
    resetStats() {
      stats.calls = 0;
      stats.byAccount.clear();
      stats.byOperation.clear();
      stats.throttled = 0;
      stats.throttledByAccount.clear();
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung requests hold their sockets open: cut them so close() completes.
        server.closeAllConnections();
      });
      await athena?.close();
    },
  };
}
