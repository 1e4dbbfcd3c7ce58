// Small org snapshots for the evaluator's tests: one account, one region set, trails built from overrides.
import type { AccountRecord, OrgSnapshot, TrailRecord } from '../../src/trails/snapshot.js';

/** The evaluation time of every fixture. */
export const NOW = '2026-11-21T06:00:00.000Z';

/** A healthy multi-region trail owned by account 111111111111. */
export function trail(overrides: Partial<TrailRecord> = {}): TrailRecord {
  return {
    arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/main',
    name: 'main',
    ownerAccountId: '111111111111',
    homeRegion: 'us-east-1',
    isMultiRegion: true,
    isOrganizationTrail: false,
    includeGlobalServiceEvents: true,
    s3BucketName: 'logs-bucket',
    kmsKeyId: 'arn:aws:kms:us-east-1:222222222222:key/k',
    logFileValidationEnabled: true,
    status: {
      isLogging: true,
      latestDeliveryTime: '2026-11-21T05:50:00.000Z',
      latestDeliveryError: null,
      startLoggingTime: '2025-01-01T00:00:00.000Z',
      stopLoggingTime: null,
    },
    eventSelectors: [
      {
        readWriteType: 'All',
        includeManagementEvents: true,
        excludeManagementEventSources: [],
        dataResourceTypes: [],
      },
    ],
    advancedEventSelectors: [],
    errors: [],
    ...overrides,
  };
}

/** An audited account with regions us-east-1 and eu-west-1 enabled (and one opt-in region not enabled). */
export function account(trails: TrailRecord[], overrides: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id: '111111111111',
    name: 'acme-one',
    email: null,
    orgStatus: 'ACTIVE',
    ou: null,
    status: 'audited',
    error: null,
    regions: [
      { name: 'us-east-1', optInStatus: 'opt-in-not-required' },
      { name: 'eu-west-1', optInStatus: 'opt-in-not-required' },
      { name: 'af-south-1', optInStatus: 'not-opted-in' },
    ],
    trails,
    calls: 5,
    durationMs: 100,
    ...overrides,
  };
}

/** A snapshot of the given accounts. */
export function snapshot(accounts: AccountRecord[], overrides: Partial<OrgSnapshot> = {}): OrgSnapshot {
  return {
    kind: 'trailwatch-org-snapshot',
    version: 1,
    collectedAt: NOW,
    organizationId: 'o-test',
    managementAccountId: '111111111111',
    homeRegion: 'us-east-1',
    regionFilter: null,
    logArchiveAccountId: null,
    bucketOwners: {},
    accounts,
    errors: [],
    ...overrides,
  };
}
