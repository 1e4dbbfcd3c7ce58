// Every event of the logs folder evaluated exactly once, and every input that was not read named: links,
// file names DuckDB would read as glob patterns, unreadable folders, events without a usable time, events
// delivered twice, empty files and an output folder inside the logs folder. Real files, real DuckDB.
import { chmod, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { runCliProcess } from '../support/cli-process.js';
import { fillRecord } from '../../src/rules/test-cases.js';
import type { FindingsFile } from '../../src/model.js';

const ACCOUNT = '111122223333';
const LINKED_ACCOUNT = '222233334444';
const DAY = ['CloudTrail', 'us-east-1', '2026', '11', '20'];

/** A root API call: root-usage finds each one, so its findings show which events were evaluated. */
function rootCall(index: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return fillRecord(
    {
      eventSource: 'iam.amazonaws.com',
      eventName: 'ListUsers',
      readOnly: true,
      userIdentity: { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT },
      ...fields,
    },
    index,
  );
}

const eventId = (index: number) => String(rootCall(index).eventID);

async function writeLog(path: string, records: Record<string, unknown>[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify({ Records: records }));
}

const locked: string[] = [];

async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `tw-${name}-`));
  // The unreadable-folder cases run the CLI as an unprivileged user, who must reach everything else.
  await chmod(dir, 0o755);
  return dir;
}

async function lockFolder(path: string): Promise<void> {
  await chmod(path, 0o000);
  locked.push(path);
}

afterAll(async () => {
  for (const path of locked) await chmod(path, 0o755);
});

async function scan(logs: string, out: string, extra: string[] = []) {
  const { code } = await runCli(['scan', '--logs', logs, '--out', out, '--config', '/dev/null', ...extra]);
  return { code, doc: await findings(out) };
}

async function findings(out: string): Promise<FindingsFile> {
  return JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as FindingsFile;
}

/** The events root-usage found, sorted: each good event once, and nothing else. */
function rootEvents(doc: FindingsFile): string[] {
  return doc.findings
    .filter((f) => f.ruleId === 'root-usage')
    .map((f) => String(f.eventId))
    .sort();
}

/** The inputs named in the errors: path below `base`, code, and whether only a warning. */
function named(doc: FindingsFile, base: string): string[] {
  return doc.errors
    .filter((e) => e.scope === 'file')
    .map((e) => `${e.id.slice(base.length + 1)} ${e.code}${e.severity === 'warning' ? ' (warning)' : ''}`)
    .sort();
}

describe('symbolic links in the logs folder', () => {
  it('reads a linked log file and a linked account folder, and a link loop only once', async () => {
    const dir = await tempDir('links');
    const logs = join(dir, 'logs');
    await writeLog(join(logs, 'AWSLogs', ACCOUNT, ...DAY, 'good.json'), [rootCall(1)]);
    // A synced bucket spread over two disks: one account's folder and one file live on the other disk.
    await writeLog(join(dir, 'disk2', LINKED_ACCOUNT, ...DAY, 'on-disk2.json'), [rootCall(2)]);
    await writeLog(join(dir, 'disk2', 'single.json'), [rootCall(3)]);
    await symlink(join(dir, 'disk2', LINKED_ACCOUNT), join(logs, 'AWSLogs', LINKED_ACCOUNT));
    await symlink(join(dir, 'disk2', 'single.json'), join(logs, 'AWSLogs', ACCOUNT, ...DAY, 'linked.json'));
    await symlink(join(logs, 'AWSLogs'), join(logs, 'AWSLogs', ACCOUNT, 'loop'));

    const { code, doc } = await scan(logs, join(dir, 'out'));

    expect(rootEvents(doc)).toEqual([eventId(1), eventId(2), eventId(3)]);
    expect(doc.run.duplicateEvents).toBe(0);
    expect(named(doc, logs)).toEqual([`AWSLogs/${ACCOUNT}/loop folder-already-read (warning)`]);
    expect(code).toBe(0);
  });

  it('names a link whose target is gone (an unmounted disk) as not read, and the audit incomplete', async () => {
    const dir = await tempDir('dangling');
    const logs = join(dir, 'logs');
    await writeLog(join(logs, 'good.json'), [rootCall(1)]);
    await symlink(join(dir, 'unmounted', LINKED_ACCOUNT), join(logs, LINKED_ACCOUNT));

    const { code, doc } = await scan(logs, join(dir, 'out'));

    expect(rootEvents(doc)).toEqual([eventId(1)]);
    expect(named(doc, logs)).toEqual([`${LINKED_ACCOUNT} link-dangling`]);
    expect(doc.run.complete).toBe(false);
    expect(code).toBe(2);
  });
});

describe('file names with glob characters', () => {
  it('reads each file once under its own name, whatever characters the name holds', async () => {
    const dir = await tempDir('glob');
    const logs = join(dir, 'logs');
    const names = ['glob[a].json', 'globa.json', 'x?y.json', 'xzy.json', 'star*.json', 'starfoo.json'];
    for (const [i, name] of names.entries()) await writeLog(join(logs, 'names', name), [rootCall(i + 1)]);
    await writeLog(join(logs, 'folder[1]', 'x.json'), [rootCall(7)]);

    const { code, doc } = await scan(logs, join(dir, 'out'));

    expect(rootEvents(doc)).toEqual([1, 2, 3, 4, 5, 6, 7].map(eventId).sort());
    expect(doc.run.duplicateEvents).toBe(0);
    expect(doc.run.filesRead).toBe(7);
    expect(code).toBe(0);
  });
});

describe('a folder that cannot be listed', () => {
  it('is named as not read, and every other file is still read (exit 2)', async () => {
    const dir = await tempDir('locked');
    const logs = join(dir, 'logs');
    await writeLog(join(logs, 'a', 'good.json'), [rootCall(1)]);
    await writeLog(join(logs, 'locked', 'hidden.json'), [rootCall(2)]);
    await writeLog(join(logs, 'z', 'good.json'), [rootCall(3)]);
    await lockFolder(join(logs, 'locked'));
    const out = join(dir, 'out');
    await mkdir(out);
    await chmod(out, 0o777);

    const { code } = await runCliProcess([
      'scan',
      '--logs',
      logs,
      '--out',
      join(out, 'o'),
      '--config',
      '/dev/null',
    ]);
    const doc = await findings(join(out, 'o'));

    expect(rootEvents(doc)).toEqual([eventId(1), eventId(3)]);
    expect(named(doc, logs)).toEqual(['locked folder-unreadable']);
    expect(code).toBe(2);
    // A process of its own (started through tsx, as another user) is slow to start on a busy machine.
  }, 180_000);
});

describe('events without a usable eventTime', () => {
  const records = [
    rootCall(1),
    rootCall(2, { eventTime: undefined }),
    rootCall(3, { eventTime: '' }),
    rootCall(4, { eventTime: 'yesterday' }),
    rootCall(5, { eventTime: '2026-11-20 12:05:00' }),
    // Other ISO 8601 forms name an instant: 23:00 UTC on the 20th, and 23:00 UTC on the 19th.
    rootCall(6, { eventTime: '2026-11-21T01:00:00+02:00' }),
    rootCall(7, { eventTime: '2026-11-20T01:00:00.000+02:00' }),
  ];

  it('are evaluated when no window is set, with a warning that says so', async () => {
    const dir = await tempDir('times');
    await writeLog(join(dir, 'logs', 'times.json'), records);

    const { code, doc } = await scan(join(dir, 'logs'), join(dir, 'out'));

    expect(rootEvents(doc)).toEqual([1, 2, 3, 4, 5, 6, 7].map(eventId).sort());
    const timeOf = (i: number) => doc.findings.find((f) => f.eventId === eventId(i))?.eventTime;
    expect([timeOf(2), timeOf(4), timeOf(6), timeOf(7)]).toEqual([
      null,
      null,
      '2026-11-20T23:00:00Z',
      '2026-11-19T23:00:00Z',
    ]);
    const warning = doc.errors.find((e) => e.code === 'records-without-time');
    expect(warning).toMatchObject({ id: join(dir, 'logs', 'times.json'), severity: 'warning' });
    expect(warning?.message).toMatch(
      /^4 record\(s\) have no usable eventTime .*evaluated by the rules that do not need/,
    );
    expect(code).toBe(0);
  });

  it('are named as not evaluated when a window is set, and the audit is incomplete', async () => {
    const dir = await tempDir('times-window');
    await writeLog(join(dir, 'logs', 'times.json'), records);

    const { code, doc } = await scan(join(dir, 'logs'), join(dir, 'out'), [
      '--since',
      '2026-11-20T00:00:00Z',
      '--until',
      '2026-11-21T00:00:00Z',
    ]);

    expect(rootEvents(doc)).toEqual([eventId(1), eventId(6)].sort());
    const error = doc.errors.find((e) => e.code === 'records-without-time');
    expect(error?.severity).toBeUndefined();
    expect(error?.message).toMatch(/^4 record\(s\) .*not evaluated/);
    expect(doc.run.complete).toBe(false);
    expect(code).toBe(2);
  });
});

describe('an event delivered more than once', () => {
  it('is evaluated once, from the first file, and the copies are counted in the run facts', async () => {
    const dir = await tempDir('dup');
    const logs = join(dir, 'logs');
    await writeLog(join(logs, 'a.json'), [rootCall(1, { sourceIPAddress: '192.0.2.1' }), rootCall(2)]);
    // The same eventID again, in a later file and twice in one file.
    await writeLog(join(logs, 'b.json'), [
      rootCall(1, { sourceIPAddress: '192.0.2.2' }),
      rootCall(3),
      rootCall(3),
    ]);

    const { code, doc } = await scan(logs, join(dir, 'out'));

    expect(rootEvents(doc)).toEqual([eventId(1), eventId(2), eventId(3)]);
    expect(doc.findings.find((f) => f.eventId === eventId(1))?.sourceIp).toBe('192.0.2.1');
    expect(doc.run.eventsRead).toBe(3);
    expect(doc.run.duplicateEvents).toBe(2);
    expect(code).toBe(0);
  });
});

describe('empty files', () => {
  it('are named as warnings: an empty file, white space only, {} and an empty gzip', async () => {
    const dir = await tempDir('empty');
    const logs = join(dir, 'logs');
    await writeLog(join(logs, 'good.json'), [rootCall(1)]);
    await writeFile(join(logs, 'empty.json'), '');
    await writeFile(join(logs, 'blank.json'), ' \n\t \n');
    await writeFile(join(logs, 'object.json'), '{}');
    await writeFile(join(logs, 'empty.json.gz'), gzipSync(''));
    // A CloudTrail file with no events is valid: nothing to say.
    await writeLog(join(logs, 'no-events.json'), []);

    const { code, doc } = await scan(logs, join(dir, 'out'));

    expect(named(doc, logs)).toEqual([
      'blank.json file-empty (warning)',
      'empty.json file-empty (warning)',
      'empty.json.gz file-empty (warning)',
      'object.json file-empty (warning)',
    ]);
    expect(rootEvents(doc)).toEqual([eventId(1)]);
    expect(code).toBe(0);
  });
});

describe('an output folder inside the logs folder', () => {
  it('is not read as logs by the next run', async () => {
    const dir = await tempDir('out-inside');
    const logs = join(dir, 'logs');
    await writeLog(join(logs, 'good.json'), [rootCall(1)]);
    const out = join(logs, 'trailwatch-out');
    await scan(logs, out);

    const { code, doc } = await scan(logs, out);

    expect(named(doc, logs)).toEqual([]);
    expect(doc.run.filesRead).toBe(1);
    expect(rootEvents(doc)).toEqual([eventId(1)]);
    expect(code).toBe(0);
  });
});

describe('scan over a folder with every log fault at once (the real CLI, its own process)', () => {
  it('finds every good event exactly once, names every bad input, and exits 2', async () => {
    const dir = await tempDir('all-faults');
    const logs = join(dir, 'logs');
    const day = join(logs, 'AWSLogs', ACCOUNT, ...DAY);
    await writeLog(join(day, 'good.json'), [rootCall(1), rootCall(2)]);
    await writeFile(join(day, 'good.json.gz'), gzipSync(JSON.stringify({ Records: [rootCall(3)] })));
    // Links: an account folder and a file on another disk, a loop, a dangling link.
    await writeLog(join(dir, 'disk2', LINKED_ACCOUNT, ...DAY, 'on-disk2.json'), [rootCall(4)]);
    await writeLog(join(dir, 'disk2', 'single.json'), [rootCall(5)]);
    await symlink(join(dir, 'disk2', LINKED_ACCOUNT), join(logs, 'AWSLogs', LINKED_ACCOUNT));
    await symlink(join(dir, 'disk2', 'single.json'), join(day, 'linked.json'));
    await symlink(join(logs, 'AWSLogs'), join(logs, 'AWSLogs', 'loop'));
    await symlink(join(dir, 'unmounted'), join(logs, 'AWSLogs', '333344445555'));
    // Glob characters.
    for (const [i, name] of [
      'glob[a].json',
      'globa.json',
      'x?y.json',
      'xzy.json',
      'star*.json',
      'starfoo.json',
    ].entries())
      await writeLog(join(logs, 'names', name), [rootCall(10 + i)]);
    // An unreadable folder.
    await writeLog(join(logs, 'locked', 'hidden.json'), [rootCall(20)]);
    await lockFolder(join(logs, 'locked'));
    // Events without a usable time (evaluated: no window), and duplicates (evaluated once).
    await writeLog(join(logs, 'times.json'), [
      rootCall(30, { eventTime: undefined }),
      rootCall(31, { eventTime: 'soon' }),
    ]);
    await writeLog(join(logs, 'again.json'), [rootCall(1), rootCall(5), rootCall(32)]);
    // Empty files.
    await writeFile(join(logs, 'empty.json'), '');
    await writeFile(join(logs, 'object.json'), '{}');
    // A truncated gzip and a file that is not JSON.
    const full = gzipSync(JSON.stringify({ Records: [rootCall(40)] }));
    await writeFile(join(logs, 'truncated.json.gz'), full.subarray(0, Math.floor(full.length / 2)));
    await writeFile(join(logs, 'notes.json'), 'not JSON at all');
    // The output folder inside the logs folder, already holding a previous run's bundle.
    const out = join(logs, 'out');
    await mkdir(out);
    await chmod(out, 0o777);
    await writeFile(join(out, 'findings.json'), JSON.stringify({ run: {}, findings: [] }));
    await chmod(join(out, 'findings.json'), 0o666);

    const { code } = await runCliProcess(['scan', '--logs', logs, '--out', out, '--config', '/dev/null']);
    const doc = await findings(out);

    expect(rootEvents(doc)).toEqual([1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 30, 31, 32].map(eventId).sort());
    expect(doc.run.duplicateEvents).toBe(2);
    expect(named(doc, logs)).toEqual([
      'AWSLogs/333344445555 link-dangling',
      'AWSLogs/loop folder-already-read (warning)',
      'empty.json file-empty (warning)',
      'locked folder-unreadable',
      'notes.json file-unreadable',
      'object.json file-empty (warning)',
      'times.json records-without-time (warning)',
      'truncated.json.gz file-unreadable',
    ]);
    expect(doc.run.complete).toBe(false);
    expect(code).toBe(2);
  }, 180_000);
});
