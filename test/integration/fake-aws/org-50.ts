// The 50-account organization of the coverage integration test: organization trails, per-account trails, a
// stopped trail, a single-region trail, an opt-in region, and three accounts with faults.
import {
  fakeAccountId,
  generateOrg,
  type FakeFault,
  type FakeOrg,
  type FakeTrail,
} from '../../../tools/fake-aws/index.js';

/** Account ids with a story, by what they show. */
export const ACCOUNTS = {
  management: fakeAccountId(0),
  ownUnencryptedTrail: fakeAccountId(10),
  stoppedExtraTrail: fakeAccountId(11),
  singleRegionOnly: fakeAccountId(12),
  optInRegion: fakeAccountId(13),
  readOnlySelectors: fakeAccountId(14),
  deliveryError: fakeAccountId(15),
  logsInSameAccount: fakeAccountId(16),
  onlyTrailStopped: fakeAccountId(17),
  denied: fakeAccountId(20),
  throttled: fakeAccountId(21),
  hanging: fakeAccountId(22),
} as const;

/** The ExternalId the audit roles require. */
export const EXTERNAL_ID = 'trailwatch-ext-7f3a';

function trail(overrides: Partial<FakeTrail> & Pick<FakeTrail, 'name'>, now: Date): FakeTrail {
  return {
    homeRegion: 'us-east-1',
    isMultiRegion: true,
    s3BucketName: 'org-cloudtrail-logs',
    kmsKeyId: 'arn:aws:kms:us-east-1:100000000099:key/abcd',
    logFileValidation: true,
    isLogging: true,
    latestDeliveryTime: new Date(now.getTime() - 5 * 60_000),
    ...overrides,
  };
}

/** Builds the organization, with `now` as the time trails last delivered from. */
export function org50(now: Date): FakeOrg {
  const org = generateOrg(50, { now });
  org.externalId = EXTERNAL_ID;
  const account = (id: string) => {
    const found = org.accounts.find((a) => a.id === id);
    if (!found) throw new Error(`no account ${id}`);
    return found;
  };
  account(ACCOUNTS.ownUnencryptedTrail).trails = [
    trail({ name: 'team-trail', kmsKeyId: undefined, logFileValidation: false }, now),
  ];
  account(ACCOUNTS.stoppedExtraTrail).trails = [
    trail(
      {
        name: 'old-trail',
        homeRegion: 'eu-west-1',
        isLogging: false,
        stopLoggingTime: new Date(now.getTime() - 86_400_000),
      },
      now,
    ),
  ];
  const single = account(ACCOUNTS.singleRegionOnly);
  single.underOrganizationTrails = false;
  single.trails = [trail({ name: 'local-trail', isMultiRegion: false }, now)];
  account(ACCOUNTS.optInRegion).optedInRegions = ['af-south-1'];
  account(ACCOUNTS.readOnlySelectors).trails = [
    trail(
      { name: 'reads-trail', eventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] },
      now,
    ),
  ];
  account(ACCOUNTS.deliveryError).trails = [
    trail({ name: 'broken-trail', latestDeliveryError: 'AccessDenied' }, now),
  ];
  account(ACCOUNTS.logsInSameAccount).trails = [
    trail({ name: 'own-bucket-trail', s3BucketName: 'acct16-own-logs' }, now),
  ];
  const stopped = account(ACCOUNTS.onlyTrailStopped);
  stopped.underOrganizationTrails = false;
  stopped.trails = [trail({ name: 'stopped-trail', isLogging: false }, now)];
  return org;
}

/** The faults: one account denies AssumeRole, one throttles twice then answers, one never answers. */
export function faults50(): FakeFault[] {
  return [
    { kind: 'access-denied', accountId: ACCOUNTS.denied, operation: 'AssumeRole' },
    { kind: 'throttle', accountId: ACCOUNTS.throttled, operation: 'ListTrails', times: 2 },
    { kind: 'throttle', accountId: ACCOUNTS.throttled, operation: 'GetTrailStatus', times: 1 },
    { kind: 'hang', accountId: ACCOUNTS.hanging, operation: 'DescribeRegions' },
  ];
}
