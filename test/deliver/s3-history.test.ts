// The previous history read back from the evidence bucket, through the real S3 client against the fake AWS's
// S3 over HTTP on 127.0.0.1, from bundles the real upload put there.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsSection, createClientFactory, type ClientFactory } from '../../src/aws/clients.js';
import { HISTORY_FORMAT, type History } from '../../src/classify/history.js';
import { parseConfig } from '../../src/config/load.js';
import { writeManifest } from '../../src/deliver/bundle.js';
import { firstHistory, folderHistory, loadHistory } from '../../src/deliver/history-file.js';
import { uploadBundle, type S3DeliverySettings } from '../../src/deliver/s3.js';
import { s3History } from '../../src/deliver/s3-history.js';
import { generateOrg, startFakeAws, type FakeAws } from '../../tools/fake-aws/index.js';
import { fakeDeps } from '../integration/fake-aws/deps.js';

let fake: FakeAws;
let clients: ClientFactory;

const settings: S3DeliverySettings = { bucket: 'evidence', prefix: 'trailwatch/' };

function history(...dates: string[]): History {
  return {
    format: HISTORY_FORMAT,
    days: dates.map((date) => ({
      date,
      groups: [
        {
          rule: 'root-usage',
          principal: `seen-on-${date}`,
          eventName: 'ConsoleLogin',
          accountId: '1',
          count: 1,
        },
      ],
      sourceIps: [],
    })),
  };
}

/** Uploads a bundle holding `h` as history.json for `date`, run `runId`, with the real upload. */
async function upload(date: string, runId: string, h: History): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tw-s3h-'));
  await writeFile(join(dir, 'findings.json'), '{"run":{},"findings":[]}\n');
  await writeFile(join(dir, 'history.json'), `${JSON.stringify(h)}\n`);
  await writeManifest(dir, [join(dir, 'findings.json'), join(dir, 'history.json')]);
  const client = clients.s3();
  try {
    const { error } = await uploadBundle({ dir, client, date, runId, settings });
    expect(error).toBeUndefined();
  } finally {
    client.destroy();
  }
}

beforeAll(async () => {
  fake = await startFakeAws(generateOrg(2), {
    s3Buckets: [{ name: 'evidence' }, { name: 'evidence-denied', denied: true }, { name: 'evidence-empty' }],
  });
  clients = createClientFactory(awsSection(parseConfig({ aws: { region: 'eu-west-1' } })), fakeDeps(fake));
  await upload('2026-11-17', '20261118T060000Z-aaaaaa', history('2026-11-17'));
  await upload('2026-11-19', '20261120T060000Z-bbbbbb', history('2026-11-17', '2026-11-19'));
  // A second run of the same day, later: its history is the one to read.
  await upload('2026-11-19', '20261120T071500Z-cccccc', history('2026-11-17', '2026-11-19', '2026-11-19'));
});

afterAll(async () => {
  await fake.close();
});

describe('the previous history from S3', () => {
  it("reads the latest run's history.json of the day before, through the client factory", async () => {
    const loaded = await loadHistory(s3History(settings, { clients, date: '2026-11-20', days: 14 }));
    expect(loaded.problem).toBeUndefined();
    expect(loaded.source).toBe('s3://evidence/trailwatch/2026-11-19/20261120T071500Z-cccccc/history.json');
    expect(loaded.history?.days).toHaveLength(3);
    const operations = fake.s3.requests.map((r) => r.operation);
    expect(operations).toContain('ListObjectsV2');
    expect(operations.at(-1)).toBe('GetObject');
  });

  it('goes back to the nearest earlier day with a history, within history.days', async () => {
    const loaded = await loadHistory(s3History(settings, { clients, date: '2026-11-19', days: 14 }));
    expect(loaded.source).toBe('s3://evidence/trailwatch/2026-11-17/20261118T060000Z-aaaaaa/history.json');
    const tooFar = await loadHistory(s3History(settings, { clients, date: '2026-11-19', days: 1 }));
    expect(tooFar).toEqual({ history: null, source: null });
  });

  it('is the first run when the bucket holds none, and falls back to the previous bundle in --out', async () => {
    const empty = { ...settings, bucket: 'evidence-empty' };
    expect(await loadHistory(s3History(empty, { clients, date: '2026-11-20', days: 14 }))).toEqual({
      history: null,
      source: null,
    });
    const out = await mkdtemp(join(tmpdir(), 'tw-s3h-out-'));
    await writeFile(join(out, 'history.json'), JSON.stringify(history('2026-11-18')));
    const loaded = await loadHistory(
      firstHistory([s3History(empty, { clients, date: '2026-11-20', days: 14 }), folderHistory(out)]),
    );
    expect(loaded.source).toBe(join(out, 'history.json'));
    expect(loaded.history?.days.map((d) => d.date)).toEqual(['2026-11-18']);
  });

  it('says a bucket it may not read as a warning, and judges nothing new or recurring', async () => {
    const denied = { ...settings, bucket: 'evidence-denied' };
    const loaded = await loadHistory(s3History(denied, { clients, date: '2026-11-20', days: 14 }));
    expect(loaded.history).toBeNull();
    expect(loaded.problem).toMatchObject({
      scope: 'run',
      code: 'history-unreadable',
      severity: 'warning',
      message: expect.stringContaining('s3://evidence-denied/trailwatch/'),
    });
  });
});
