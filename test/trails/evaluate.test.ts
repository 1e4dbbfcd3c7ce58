import { describe, expect, it } from 'vitest';
import { coverageLine, evaluateCoverage, type CoverageOptions } from '../../src/trails/evaluate.js';
import { recordsManagementWrites } from '../../src/trails/trail-facts.js';
import type { OrgSnapshot } from '../../src/trails/snapshot.js';
import { NOW, account, snapshot, trail } from './fixtures.js';

const options: CoverageOptions = { now: NOW, deliveryLagHours: 24 };

function checks(snap: OrgSnapshot, opts: CoverageOptions = options): string[] {
  return evaluateCoverage(snap, opts)
    .findings.map((f) => `${f.checkId}@${f.region ?? '-'}`)
    .sort();
}

describe('evaluateCoverage', () => {
  it('finds nothing for a logging, validated, encrypted multi-region trail', () => {
    const result = evaluateCoverage(snapshot([account([trail()])]), options);
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.summary).toEqual({
      accountsTotal: 1,
      accountsCovered: 1,
      accountsNotAudited: 0,
      regionsTotal: 2,
      regionsCovered: 2,
    });
    expect(result.matrix.map((c) => [c.region, c.status])).toEqual([
      ['eu-west-1', 'covered'],
      ['us-east-1', 'covered'],
    ]);
  });

  describe('trail-region-uncovered', () => {
    it('fires for every enabled region without any trail, and not for regions that are not opted in', () => {
      expect(checks(snapshot([account([])]))).toEqual([
        'trail-region-uncovered@eu-west-1',
        'trail-region-uncovered@us-east-1',
      ]);
    });
    it('fires outside the home region of a single-region trail only', () => {
      expect(checks(snapshot([account([trail({ isMultiRegion: false })])]))).toEqual([
        'trail-region-uncovered@eu-west-1',
        'trail-single-region-only@us-east-1',
      ]);
    });
    it('fires when the only trail records read events only', () => {
      const reads = trail({
        eventSelectors: [
          {
            readWriteType: 'ReadOnly',
            includeManagementEvents: true,
            excludeManagementEventSources: [],
            dataResourceTypes: [],
          },
        ],
      });
      expect(checks(snapshot([account([reads])]))).toContain('trail-region-uncovered@eu-west-1');
    });
    it('does not fire when a second trail covers the region a stopped one leaves', () => {
      const stopped = trail({
        arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/stopped',
        name: 'stopped',
        status: { ...trail().status!, isLogging: false },
      });
      expect(checks(snapshot([account([stopped, trail()])]))).toEqual(['trail-not-logging@us-east-1']);
    });
    it('respects the region filter of the config', () => {
      const snap = snapshot([account([])], { regionFilter: ['eu-west-1'] });
      expect(checks(snap)).toEqual(['trail-region-uncovered@eu-west-1']);
    });
    it('audits an opt-in region once it is opted in', () => {
      const acct = account([trail({ isMultiRegion: false })]);
      acct.regions = [
        { name: 'us-east-1', optInStatus: 'opt-in-not-required' },
        { name: 'af-south-1', optInStatus: 'opted-in' },
      ];
      expect(checks(snapshot([acct]))).toEqual([
        'trail-region-uncovered@af-south-1',
        'trail-single-region-only@us-east-1',
      ]);
    });
  });

  describe('trail-not-logging', () => {
    it('fires for a stopped trail and leaves its regions uncovered', () => {
      const stopped = trail({
        status: { ...trail().status!, isLogging: false, stopLoggingTime: '2026-11-20T01:00:00.000Z' },
      });
      const result = evaluateCoverage(snapshot([account([stopped])]), options);
      expect(result.findings.find((f) => f.checkId === 'trail-not-logging')).toMatchObject({
        tier: 'alert',
        risk: 'high',
        trailArn: stopped.arn,
        summary: 'trail main is not logging since 2026-11-20T01:00:00.000Z',
      });
      expect(result.summary.regionsCovered).toBe(0);
    });
    it('does not fire for a logging trail', () => {
      expect(checks(snapshot([account([trail()])]))).not.toContain('trail-not-logging@us-east-1');
    });
  });

  describe('trail-delivery-error', () => {
    it('fires on a LatestDeliveryError', () => {
      const broken = trail({ status: { ...trail().status!, latestDeliveryError: 'NoSuchBucket' } });
      const result = evaluateCoverage(snapshot([account([broken])]), options);
      expect(result.findings.map((f) => f.checkId)).toEqual(['trail-delivery-error']);
      expect(result.findings[0]?.summary).toContain('NoSuchBucket');
      expect(result.matrix.every((c) => c.status === 'problem')).toBe(true);
    });
    it('fires when the last delivery is older than the threshold', () => {
      const stale = trail({ status: { ...trail().status!, latestDeliveryTime: '2026-11-19T05:00:00.000Z' } });
      expect(checks(snapshot([account([stale])]))).toEqual(['trail-delivery-error@us-east-1']);
    });
    it('does not fire within the threshold, or for a trail started too recently to have delivered', () => {
      const recent = trail({
        status: { ...trail().status!, latestDeliveryTime: '2026-11-20T07:00:00.000Z' },
      });
      const fresh = trail({
        status: {
          ...trail().status!,
          latestDeliveryTime: null,
          startLoggingTime: '2026-11-21T05:00:00.000Z',
        },
      });
      expect(checks(snapshot([account([recent])]))).toEqual([]);
      expect(checks(snapshot([account([fresh])]))).toEqual([]);
    });
    it('fires when a long-running trail has never delivered', () => {
      const never = trail({ status: { ...trail().status!, latestDeliveryTime: null } });
      expect(checks(snapshot([account([never])]))).toEqual(['trail-delivery-error@us-east-1']);
    });
  });

  describe('trail-management-events-excluded', () => {
    it('fires when basic selectors exclude management events', () => {
      const dataOnly = trail({
        eventSelectors: [
          {
            readWriteType: 'All',
            includeManagementEvents: false,
            excludeManagementEventSources: [],
            dataResourceTypes: ['AWS::S3::Object'],
          },
        ],
      });
      expect(checks(snapshot([account([dataOnly])]))).toContain('trail-management-events-excluded@us-east-1');
    });
    it('does not fire for a data-events-only trail beside a trail that records management events', () => {
      const orgTrail = trail({ arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org', name: 'org' });
      const basic = trail({
        arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/s3-data',
        name: 's3-data',
        eventSelectors: [
          {
            readWriteType: 'All',
            includeManagementEvents: false,
            excludeManagementEventSources: [],
            dataResourceTypes: ['AWS::S3::Object'],
          },
        ],
      });
      const advanced = trail({
        arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/lambda-data',
        name: 'lambda-data',
        eventSelectors: [],
        advancedEventSelectors: [
          {
            name: 'lambda',
            fieldSelectors: [
              { field: 'eventCategory', equals: ['Data'] },
              { field: 'resources.type', equals: ['AWS::Lambda::Function'] },
            ],
          },
        ],
      });
      expect(checks(snapshot([account([orgTrail, basic, advanced])]))).toEqual([]);
    });
    it('fires for a data-events-only trail where no trail records management events', () => {
      const orgEast = trail({
        arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/east',
        name: 'east',
        isMultiRegion: false,
      });
      const dataOnly = trail({
        arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/s3-data',
        name: 's3-data',
        eventSelectors: [
          {
            readWriteType: 'All',
            includeManagementEvents: false,
            excludeManagementEventSources: [],
            dataResourceTypes: ['AWS::S3::Object'],
          },
        ],
      });
      // eu-west-1 has only the data trail: it is flagged, and the region is uncovered.
      expect(checks(snapshot([account([orgEast, dataOnly])]))).toEqual([
        'trail-management-events-excluded@us-east-1',
        'trail-region-uncovered@eu-west-1',
        'trail-single-region-only@us-east-1',
      ]);
    });
    it('fires when advanced selectors keep read-only management events', () => {
      const readOnly = trail({
        eventSelectors: [],
        advancedEventSelectors: [
          {
            name: 'reads',
            fieldSelectors: [
              { field: 'eventCategory', equals: ['Management'] },
              { field: 'readOnly', equals: ['true'] },
            ],
          },
        ],
      });
      expect(checks(snapshot([account([readOnly])]))).toContain('trail-management-events-excluded@us-east-1');
    });
    it('does not fire for advanced selectors that record management events minus KMS', () => {
      const mgmt = trail({
        eventSelectors: [],
        advancedEventSelectors: [
          {
            name: 'management',
            fieldSelectors: [
              { field: 'eventCategory', equals: ['Management'] },
              { field: 'eventSource', notEquals: ['kms.amazonaws.com'] },
            ],
          },
        ],
      });
      expect(checks(snapshot([account([mgmt])]))).toEqual([]);
    });
    it('treats a trail without selectors as CloudTrail does: all management events', () => {
      expect(recordsManagementWrites(trail({ eventSelectors: [], advancedEventSelectors: [] }))).toBe(true);
      expect(recordsManagementWrites(trail({ eventSelectors: null, advancedEventSelectors: null }))).toBe(
        null,
      );
    });
    it('treats advanced selectors limited to some event sources as excluding the rest', () => {
      const some = trail({
        eventSelectors: [],
        advancedEventSelectors: [
          {
            name: 'iam only',
            fieldSelectors: [
              { field: 'eventCategory', equals: ['Management'] },
              { field: 'eventSource', equals: ['iam.amazonaws.com'] },
            ],
          },
        ],
      });
      expect(recordsManagementWrites(some)).toBe(false);
    });
  });

  describe('review checks', () => {
    it('trail-log-validation-disabled fires only when validation is off', () => {
      expect(checks(snapshot([account([trail({ logFileValidationEnabled: false })])]))).toEqual([
        'trail-log-validation-disabled@us-east-1',
      ]);
      expect(checks(snapshot([account([trail({ logFileValidationEnabled: true })])]))).toEqual([]);
    });
    it('trail-not-encrypted fires only without a KMS key', () => {
      const result = evaluateCoverage(snapshot([account([trail({ kmsKeyId: null })])]), options);
      expect(result.findings.map((f) => [f.checkId, f.tier, f.risk])).toEqual([
        ['trail-not-encrypted', 'review', 'low'],
      ]);
      // A review item does not make the region less covered.
      expect(result.summary.regionsCovered).toBe(2);
      expect(checks(snapshot([account([trail()])]))).toEqual([]);
    });
    it('trail-single-region-only fires for a single-region trail only', () => {
      expect(checks(snapshot([account([trail({ isMultiRegion: false })])]))).toContain(
        'trail-single-region-only@us-east-1',
      );
      expect(checks(snapshot([account([trail({ isMultiRegion: true })])]))).toEqual([]);
    });
    it('trail-logs-in-same-account fires when the bucket belongs to the trail owner', () => {
      const snap = snapshot([account([trail()])], { bucketOwners: { 'logs-bucket': '111111111111' } });
      expect(checks(snap)).toEqual(['trail-logs-in-same-account@us-east-1']);
    });
    it('trail-logs-in-same-account does not fire for a log archive bucket, an unknown owner, or the archive itself', () => {
      expect(
        checks(snapshot([account([trail()])], { bucketOwners: { 'logs-bucket': '222222222222' } })),
      ).toEqual([]);
      expect(checks(snapshot([account([trail()])]))).toEqual([]);
      const archive = snapshot([account([trail()])], { bucketOwners: { 'logs-bucket': '111111111111' } });
      expect(checks(archive, { ...options, logArchiveAccountId: '111111111111' })).toEqual([]);
    });
  });

  describe('organizations and failures', () => {
    const orgTrail = trail({
      arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org',
      name: 'org',
      isOrganizationTrail: true,
      kmsKeyId: null,
    });
    const member = (id: string) => account([orgTrail], { id, name: `member-${id}` });

    it('reports a trail problem once, on the account that owns the trail', () => {
      const snap = snapshot([member('333333333333'), account([orgTrail]), member('444444444444')]);
      const result = evaluateCoverage(snap, options);
      expect(result.findings.map((f) => [f.checkId, f.accountId])).toEqual([
        ['trail-not-encrypted', '111111111111'],
      ]);
      expect(result.matrix.filter((c) => c.checks.includes('trail-not-encrypted'))).toHaveLength(6);
    });

    it('lists an account that could not be audited with its reason and keeps the run incomplete', () => {
      const failed = account([], {
        id: '999999999999',
        name: 'locked',
        status: 'failed',
        error: { code: 'assume-role-denied', message: 'AccessDenied: not authorized' },
        regions: [],
      });
      const result = evaluateCoverage(snapshot([account([trail()]), failed]), options);
      expect(result.errors).toEqual([
        {
          scope: 'account',
          id: '999999999999',
          code: 'assume-role-denied',
          message: 'AccessDenied: not authorized',
        },
      ]);
      expect(result.summary).toEqual({
        accountsTotal: 2,
        accountsCovered: 1,
        accountsNotAudited: 1,
        regionsTotal: 2,
        regionsCovered: 2,
      });
      expect(result.matrix.filter((c) => c.accountId === '999999999999').map((c) => c.status)).toEqual([
        'not-audited',
        'not-audited',
      ]);
      expect(result.findings.filter((f) => f.accountId === '999999999999')).toEqual([]);
    });

    it('marks a region not audited, not uncovered, when the trail status could not be read', () => {
      const unread = trail({
        status: null,
        errors: [{ operation: 'GetTrailStatus', code: 'throttled', message: 'Rate exceeded' }],
      });
      const result = evaluateCoverage(snapshot([account([unread])]), options);
      expect(result.findings).toEqual([]);
      expect(result.matrix.map((c) => c.status)).toEqual(['not-audited', 'not-audited']);
      expect(result.errors.map((e) => e.code)).toEqual(['trail-status-unavailable']);
    });

    it('carries discovery errors from the snapshot', () => {
      const errors = [
        { scope: 'run' as const, id: 'organizations', code: 'list-accounts-failed' as const, message: 'x' },
      ];
      const result = evaluateCoverage(snapshot([account([trail()])], { errors }), options);
      expect(result.errors).toEqual(errors);
    });

    it('names an account that is not ACTIVE with its state, as a warning, without matrix rows', () => {
      const suspended = account([], {
        id: '999999999999',
        name: 'old',
        orgStatus: 'SUSPENDED',
        status: 'not-active',
        error: { code: 'account-suspended', message: "not audited: the account's state is SUSPENDED" },
        regions: [],
      });
      const result = evaluateCoverage(snapshot([account([trail()]), suspended]), options);
      expect(result.errors).toEqual([
        {
          scope: 'account',
          id: '999999999999',
          code: 'account-suspended',
          message: "not audited: the account's state is SUSPENDED",
          severity: 'warning',
        },
      ]);
      expect(result.summary).toMatchObject({ accountsTotal: 2, accountsCovered: 1, accountsNotAudited: 1 });
      expect(result.matrix.filter((c) => c.accountId === '999999999999')).toEqual([]);
    });

    it('makes an account of a state it does not know an error, not a warning', () => {
      const unknown = account([], {
        id: '999999999999',
        orgStatus: 'QUARANTINED',
        status: 'not-active',
        error: { code: 'account-state-unknown', message: 'not audited: QUARANTINED' },
        regions: [],
      });
      const result = evaluateCoverage(snapshot([account([trail()]), unknown]), options);
      expect(result.errors).toEqual([
        {
          scope: 'account',
          id: '999999999999',
          code: 'account-state-unknown',
          message: 'not audited: QUARANTINED',
        },
      ]);
    });

    it('never calls an audit of zero accounts clean, whatever left it empty', () => {
      const empty = evaluateCoverage(snapshot([]), options);
      expect(empty.errors).toEqual([
        {
          scope: 'run',
          id: 'accounts',
          code: 'no-accounts-audited',
          message: 'no account was found to audit: the audit covers nothing',
        },
      ]);
      const failed = account([], {
        status: 'failed',
        error: { code: 'assume-role-denied', message: 'denied' },
        regions: [],
      });
      const suspended = account([], {
        id: '222222222222',
        orgStatus: 'SUSPENDED',
        status: 'not-active',
        error: { code: 'account-suspended', message: 'suspended' },
        regions: [],
      });
      const none = evaluateCoverage(snapshot([failed, suspended]), options);
      expect(none.errors.map((e) => [e.code, e.severity])).toEqual([
        ['assume-role-denied', undefined],
        ['account-suspended', 'warning'],
        ['no-accounts-audited', undefined],
      ]);
      expect(none.errors[2]?.message).toBe(
        'no account was audited: of 2 accounts, 1 could not be audited and 1 are not ACTIVE',
      );
    });

    it('does not repeat the reason discovery already gave for finding nothing to audit', () => {
      const errors = [
        {
          scope: 'run' as const,
          id: 'organizations',
          code: 'no-accounts-to-audit' as const,
          message: 'empty',
        },
      ];
      expect(evaluateCoverage(snapshot([], { errors }), options).errors).toEqual(errors);
    });

    it('counts the accounts as a floor when the listing failed midway ("of at least")', () => {
      const errors = [
        { scope: 'run' as const, id: 'organizations', code: 'list-accounts-failed' as const, message: 'x' },
      ];
      const partial = evaluateCoverage(snapshot([account([trail()])], { errors }), options);
      expect(partial.summary.accountsTotalIsMinimum).toBe(true);
      expect(coverageLine(partial.summary)).toBe(
        '1 of at least 1 accounts and 2 of 2 account-regions fully covered',
      );
      const whole = evaluateCoverage(snapshot([account([trail()])]), options);
      expect(whole.summary.accountsTotalIsMinimum).toBeUndefined();
      expect(coverageLine(whole.summary)).toBe('1 of 1 accounts and 2 of 2 account-regions fully covered');
    });

    it('is pure: the same snapshot gives the same result and is not modified', () => {
      const snap = snapshot([account([trail({ kmsKeyId: null })])]);
      const before = JSON.stringify(snap);
      expect(evaluateCoverage(snap, options)).toEqual(evaluateCoverage(snap, options));
      expect(JSON.stringify(snap)).toBe(before);
    });
  });
});
