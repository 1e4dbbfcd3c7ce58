import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../support/cli.js';
import { fillRecord } from '../../src/rules/test-cases.js';
import type { FindingsFile } from '../../src/model.js';

let logs: string;
let out: string;
const GOOD_EVENTS = 3 * 40;

beforeAll(async () => {
  logs = await mkdtemp(join(tmpdir(), 'tw-bad-'));
  out = await mkdtemp(join(tmpdir(), 'tw-bad-out-'));
  let index = 0;
  for (const region of ['us-east-1', 'eu-west-1', 'us-west-2']) {
    const dir = join(logs, 'AWSLogs', '111122223333', 'CloudTrail', region, '2026', '11', '20');
    await mkdir(dir, { recursive: true });
    const records = Array.from({ length: 40 }, () => {
      index += 1;
      // One root call per file: a finding per valid file proves every file was evaluated.
      return index % 40 === 1
        ? fillRecord(
            {
              awsRegion: region,
              eventSource: 'iam.amazonaws.com',
              eventName: 'ListUsers',
              readOnly: true,
              userIdentity: {
                type: 'Root',
                arn: 'arn:aws:iam::111122223333:root',
                accountId: '111122223333',
              },
            },
            index,
          )
        : fillRecord({ awsRegion: region }, index);
    });
    await writeFile(
      join(dir, `111122223333_CloudTrail_${region}_20261120T1200Z_good.json.gz`),
      gzipSync(JSON.stringify({ Records: records })),
    );
  }
  const broken = join(logs, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2026', '11', '20');
  const full = gzipSync(JSON.stringify({ Records: [fillRecord({}, 999)] }));
  await writeFile(join(broken, 'truncated.json.gz'), full.subarray(0, Math.floor(full.length / 2)));
  await writeFile(join(logs, 'notes.json'), 'this is not JSON at all');
  await writeFile(join(logs, 'config.json'), JSON.stringify({ trail: 'not a log file' }));
  // A CloudTrail file with no events is valid, not an error.
  await writeFile(join(logs, 'empty.json'), JSON.stringify({ Records: [] }));
  // Digest files sit beside the logs and are not events: they are skipped, not errors.
  const digest = join(logs, 'AWSLogs', '111122223333', 'CloudTrail-Digest', 'us-east-1', '2026', '11', '20');
  await mkdir(digest, { recursive: true });
  await writeFile(join(digest, 'digest.json.gz'), gzipSync('{"digestStartTime":"x"}'));
});

describe('scan over a folder with a corrupt .gz and a non-JSON file', () => {
  it('evaluates every event of the valid files, names each bad file, and exits 2', async () => {
    const { code } = await runCli(['scan', '--logs', logs, '--out', out]);
    expect(code).toBe(2);
    const doc = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as FindingsFile;
    expect(doc.run.eventsRead).toBe(GOOD_EVENTS);
    expect(doc.run.filesRead).toBe(4);
    expect(doc.run.complete).toBe(false);
    const bad = doc.errors
      .filter((e) => e.scope === 'file')
      .map((e) => [e.id.slice(logs.length + 1), e.code]);
    expect(bad.sort()).toEqual([
      ['AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/truncated.json.gz', 'file-unreadable'],
      ['config.json', 'file-not-cloudtrail'],
      ['notes.json', 'file-unreadable'],
    ]);
    const roots = doc.findings.filter((f) => f.ruleId === 'root-usage');
    expect(roots.map((f) => f.region).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
  });

  it('exits 0 and reports a complete audit when every file is good', async () => {
    const clean = await mkdtemp(join(tmpdir(), 'tw-clean-'));
    await writeFile(join(clean, 'one.json'), JSON.stringify({ Records: [fillRecord({}, 1)] }));
    const { code } = await runCli([
      'scan',
      '--logs',
      clean,
      '--out',
      join(clean, 'out'),
      '--config',
      '/dev/null',
    ]);
    const doc = JSON.parse(await readFile(join(clean, 'out', 'findings.json'), 'utf8')) as FindingsFile;
    expect(doc.run.eventsRead).toBe(1);
    expect(doc.errors.filter((e) => e.severity !== 'warning')).toEqual([]);
    expect(code).toBe(0);
  });

  it('refuses a logs folder that does not exist with exit code 3', async () => {
    expect((await runCli(['scan', '--logs', '/nonexistent/folder'])).code).toBe(3);
  });
});

describe('scan with nothing to audit', () => {
  it('is never reported clean: no events in scope makes the run incomplete (exit 2)', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'tw-empty-'));
    const { code } = await runCli([
      'scan',
      '--logs',
      empty,
      '--out',
      join(empty, 'out'),
      '--config',
      '/dev/null',
    ]);
    const doc = JSON.parse(await readFile(join(empty, 'out', 'findings.json'), 'utf8')) as FindingsFile;
    expect(code).toBe(2);
    expect(doc.run.complete).toBe(false);
    expect(doc.errors.filter((e) => e.severity !== 'warning').map((e) => e.code)).toEqual([
      'no-events-in-window',
    ]);
  });

  it('reads only the files whose S3 key can hold the window, and says so when none has events', async () => {
    const outside = join(out, 'outside');
    const { code } = await runCli([
      'scan',
      '--logs',
      join(logs, 'AWSLogs'),
      '--since',
      '2026-10-01',
      '--until',
      '2026-10-02',
      '--out',
      outside,
      '--config',
      '/dev/null',
    ]);
    const doc = JSON.parse(await readFile(join(outside, 'findings.json'), 'utf8')) as FindingsFile;
    expect(code).toBe(2);
    // The truncated file sits in the 2026/11/20 folder: it is not even read for an October window.
    expect(doc.run.filesRead).toBe(0);
    // The three good files and the truncated one, all delivered on 2026-11-20, are counted as skipped.
    expect(doc.run.filesSkipped).toBe(4);
    expect(doc.errors.filter((e) => e.severity !== 'warning').map((e) => e.code)).toEqual([
      'no-events-in-window',
    ]);
  });
});

describe('scan --report without a browser', () => {
  it('writes the digest and records the missing PDF in findings.json itself', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tw-nobrowser-'));
    await writeFile(join(dir, 'one.json'), JSON.stringify({ Records: [fillRecord({}, 1)] }));
    vi.stubEnv('PUPPETEER_EXECUTABLE_PATH', '/nonexistent/chromium');
    let code: number;
    try {
      ({ code } = await runCli([
        'scan',
        '--logs',
        dir,
        '--out',
        join(dir, 'out'),
        '--report',
        '--config',
        '/dev/null',
      ]));
    } finally {
      vi.unstubAllEnvs();
    }
    expect(code).toBe(2);
    const doc = JSON.parse(await readFile(join(dir, 'out', 'findings.json'), 'utf8')) as FindingsFile;
    expect(doc.errors.map((e) => e.code)).toContain('pdf-browser-missing');
    expect(doc.run.complete).toBe(false);
    await expect(readFile(join(dir, 'out', 'digest.html'), 'utf8')).resolves.toContain(
      'evidence.pdf was not written',
    );
  });
});
