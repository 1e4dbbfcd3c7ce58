import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_TITLES, errorTitle } from '../../src/shared/error-codes.js';
import type { RunErrorEntry } from '../../src/shared/errors.js';
import { orgSnapshotSchema } from '../../src/trails/snapshot.js';

describe('error codes', () => {
  it('are kebab-case, each with a human title', () => {
    expect(ERROR_CODES.length).toBeGreaterThan(40);
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(errorTitle(code).length).toBeGreaterThan(5);
    }
    expect(errorTitle('assume-role-denied')).toBe('The audit role could not be assumed (access denied)');
    expect(ERROR_TITLES['describe-organization-access-denied']).toBe(
      'The organization could not be described: access denied to an AWS call',
    );
  });

  it('are a closed union: a typo in a code is a type error', () => {
    const typo: RunErrorEntry = {
      scope: 'file',
      id: 'a.json.gz',
      // @ts-expect-error 'file-unreadabel' is not an error code (npm run typecheck fails without this line)
      code: 'file-unreadabel',
      message: 'x',
    };
    expect(ERROR_CODES).not.toContain(typo.code);
  });

  it('are read back from an org snapshot only when trailwatch knows them', () => {
    const snapshot = (code: string) => ({
      kind: 'trailwatch-org-snapshot',
      version: 1,
      collectedAt: '2026-11-21T06:00:00.000Z',
      organizationId: null,
      managementAccountId: null,
      homeRegion: 'us-east-1',
      regionFilter: null,
      logArchiveAccountId: null,
      bucketOwners: {},
      accounts: [],
      errors: [{ scope: 'run', id: 'organizations', code, message: 'x' }],
    });
    const known = orgSnapshotSchema.safeParse(snapshot('list-accounts-failed'));
    const unknown = orgSnapshotSchema.safeParse(snapshot('list-acounts-failed'));
    expect(unknown.success).toBe(false);
    expect(known.error?.issues ?? []).toEqual([]);
  });
});
