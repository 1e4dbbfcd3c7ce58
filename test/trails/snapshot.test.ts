import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { InputError } from '../../src/shared/errors.js';
import { evaluateSnapshot, loadOrgSnapshot, saveOrgSnapshot } from '../../src/trails/index.js';
import { account, snapshot, trail } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailwatch-snapshot-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('org snapshot files', () => {
  it('round-trips through save and load', async () => {
    const snap = snapshot([account([trail()])]);
    const file = join(dir, 'nested', 'org-snapshot.json');
    await saveOrgSnapshot(file, snap);
    expect(await loadOrgSnapshot(file)).toEqual(snap);
  });

  it('rejects a missing file with an InputError', async () => {
    await expect(loadOrgSnapshot(join(dir, 'missing.json'))).rejects.toBeInstanceOf(InputError);
  });

  it('rejects a file that is not JSON', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{"kind": ');
    await expect(loadOrgSnapshot(file)).rejects.toThrow(/is not JSON/);
  });

  it('rejects a snapshot with wrong fields, naming every problem', async () => {
    const bad = snapshot([account([trail()])]) as unknown as Record<string, unknown>;
    bad.collectedAt = 'yesterday';
    (bad.accounts as Record<string, unknown>[])[0]!.id = '12';
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(bad));
    const error = await loadOrgSnapshot(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('collectedAt: expected an ISO UTC timestamp');
    expect((error as Error).message).toContain('accounts[0].id: expected a 12-digit account id');
  });
});

describe('the sample organization snapshot', () => {
  it('shows acme-dev ap-southeast-2 uncovered and the rest of the organization covered', async () => {
    const snap = await loadOrgSnapshot('samples/org-snapshot.json');
    expect(snap.collectedAt).toBe('2026-11-21T06:00:00.000Z');
    expect(snap.accounts.map((a) => [a.id, a.name])).toEqual([
      ['111111111111', 'acme-management'],
      ['222222222222', 'acme-log-archive'],
      ['333333333333', 'acme-security'],
      ['444444444444', 'acme-prod'],
      ['555555555555', 'acme-dev'],
    ]);
    const { result, complete } = evaluateSnapshot(snap, parseConfig({}));
    expect(complete).toBe(true);
    const alerts = result.findings.filter((f) => f.tier === 'alert');
    expect(alerts.map((f) => [f.checkId, f.accountId, f.region])).toEqual([
      ['trail-region-uncovered', '555555555555', 'ap-southeast-2'],
    ]);
    expect(result.findings.filter((f) => f.accountId !== '555555555555')).toEqual([]);
    expect(result.findings.map((f) => f.checkId)).toContain('trail-log-validation-disabled');
    expect(result.summary).toEqual({
      accountsTotal: 5,
      accountsCovered: 4,
      accountsNotAudited: 0,
      regionsTotal: 20,
      regionsCovered: 18,
    });
  });
});
