// The described organization behind the fake AWS endpoint: accounts, OUs, regions, trails and statuses.
// Tests and the bench build one of these and hand it to startFakeAws().

/** A basic event selector as CloudTrail stores it. */
export interface FakeEventSelector {
  ReadWriteType?: 'ReadOnly' | 'WriteOnly' | 'All';
  IncludeManagementEvents?: boolean;
  ExcludeManagementEventSources?: string[];
  DataResources?: { Type: string; Values: string[] }[];
}

/** An advanced event selector as CloudTrail stores it. */
export interface FakeAdvancedEventSelector {
  Name?: string;
  FieldSelectors: { Field: string; Equals?: string[]; NotEquals?: string[]; StartsWith?: string[] }[];
}

/** A trail owned by one account (an organization trail is owned by the management account). */
export interface FakeTrail {
  name: string;
  homeRegion: string;
  isMultiRegion: boolean;
  isOrganizationTrail?: boolean;
  s3BucketName: string;
  kmsKeyId?: string;
  logFileValidation: boolean;
  isLogging: boolean;
  latestDeliveryTime?: Date;
  latestDeliveryError?: string;
  startLoggingTime?: Date;
  stopLoggingTime?: Date;
  eventSelectors?: FakeEventSelector[];
  advancedEventSelectors?: FakeAdvancedEventSelector[];
}

/** One account of the described organization. */
export interface FakeAccount {
  id: string;
  name: string;
  email: string;
  /**
   * The account's lifecycle state as Organizations answers it in `State` (default ACTIVE). AWS documents
   * ACTIVE, SUSPENDED, PENDING_CLOSURE, PENDING_ACTIVATION and CLOSED; any other text tests an unknown one.
   */
  state?: string;
  /** The OU (or root) the account sits in. */
  parentId?: string;
  /** Opt-in regions this account has enabled (the default regions are always enabled). */
  optedInRegions?: string[];
  trails?: FakeTrail[];
  /** False when the account is outside the organization trails' reach (e.g. a trail scoped elsewhere). */
  underOrganizationTrails?: boolean;
}

/** The described organization. */
export interface FakeOrg {
  id: string;
  managementAccountId: string;
  rootId: string;
  ous?: { id: string; parentId: string; name: string }[];
  accounts: FakeAccount[];
  /** Regions enabled by default. */
  defaultRegions: string[];
  /** Regions that need opting in. */
  optInRegions: string[];
  /** The audit role's name in every account. */
  roleName: string;
  /** The ExternalId the audit role's trust policy requires, if any. */
  externalId?: string;
  /** A hub role the audit roles trust (then only the hub session may assume them). */
  hubRoleArn?: string;
  /** The account the runner's static credentials belong to (default: the management account). */
  runnerAccountId?: string;
  /**
   * How Organizations describes an account's lifecycle. `state` (default): `State` only, as AWS answers
   * since it retired `Status` on 2026-09-09. `legacy-status`: `Status` only, as in answers from before
   * `State` existed (its values: ACTIVE, SUSPENDED, PENDING_CLOSURE).
   */
  accountLifecycleField?: 'state' | 'legacy-status';
}

/** The 17 regions used by the bench (13 default, 4 opt-in). */
export const DEFAULT_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
];
/** Opt-in regions. */
export const OPT_IN_REGIONS = ['af-south-1', 'ap-east-1', 'eu-south-1', 'me-south-1'];

/** A 12-digit account id from a number (the management account is 100000000000). */
export function fakeAccountId(n: number): string {
  return String(100000000000 + n);
}

/** The ARN of a trail owned by `accountId`. */
export function fakeTrailArn(accountId: string, trail: Pick<FakeTrail, 'name' | 'homeRegion'>): string {
  return `arn:aws:cloudtrail:${trail.homeRegion}:${accountId}:trail/${trail.name}`;
}

/**
 * A generated organization of `count` accounts (account 0 is the management account) with one logging,
 * encrypted, validated organization trail homed in us-east-1 and nothing else. Tests add their twists.
 */
export function generateOrg(count: number, options: { now?: Date } = {}): FakeOrg {
  const now = options.now ?? new Date();
  const management = fakeAccountId(0);
  const accounts: FakeAccount[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = fakeAccountId(i);
    accounts.push({
      id,
      name: i === 0 ? 'management' : `account-${i}`,
      email: `aws+${i}@example.com`,
      parentId: i === 0 ? 'r-root' : 'ou-root-workloads',
      trails: [],
    });
  }
  accounts[0]!.trails = [
    {
      name: 'org-trail',
      homeRegion: 'us-east-1',
      isMultiRegion: true,
      isOrganizationTrail: true,
      s3BucketName: 'org-cloudtrail-logs',
      kmsKeyId: `arn:aws:kms:us-east-1:${management}:key/11111111-2222-3333-4444-555555555555`,
      logFileValidation: true,
      isLogging: true,
      latestDeliveryTime: new Date(now.getTime() - 10 * 60_000),
      startLoggingTime: new Date(now.getTime() - 400 * 86_400_000),
    },
  ];
  return {
    id: 'o-fake12345',
    managementAccountId: management,
    rootId: 'r-root',
    ous: [{ id: 'ou-root-workloads', parentId: 'r-root', name: 'Workloads' }],
    accounts,
    defaultRegions: DEFAULT_REGIONS,
    optInRegions: OPT_IN_REGIONS,
    roleName: 'TrailwatchAudit',
  };
}
