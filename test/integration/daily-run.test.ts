import { groupFindings, groupingOfRules } from '../../src/classify/group.js';
import { loadRules } from '../../src/rules/load.js';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exitCodeFor } from '../../src/cli/exit-code.js';
import { formatRunSummary } from '../../src/cli/summary.js';
import { parseConfig } from '../../src/config/load.js';
import type { FindingsFile } from '../../src/model.js';
import { runDaily } from '../support/daily-run.js';
import { generateSampleOrg } from '../../src/samples/generate.js';
import { createLogger, silentLogger } from '../../src/shared/log.js';
import { ConfigError } from '../../src/shared/errors.js';
import { fakeAccountId, generateOrg, startFakeAws, type FakeAws } from '../../tools/fake-aws/index.js';
import { expectWholeBundle } from '../support/bundle.js';
import { fakeDeps } from './fake-aws/deps.js';

const received: ParsedMail[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    simpleParser(stream)
      .then((mail) => {
        received.push(mail);
        callback();
      })
      .catch(callback);
  },
});
// The chat ping's endpoint: every post it received, parsed.
const pings: { text: string }[] = [];
const hook = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    pings.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string });
    res.end('ok');
  });
});
let fake: FakeAws;
let doc: FindingsFile;
let out: string;
let summaryFile: string;
let logsDir: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  vi.stubEnv('TW_DAILY_HOOK', `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook/secret`);
  const port = (smtp.server.address() as AddressInfo).port;
  const org = generateOrg(4);
  // Two accounts of the sample logs, so the logs hold events of them; the management account has none.
  org.accounts[1]!.id = '444444444444';
  org.accounts[2]!.id = '555555555555';
  const denied = org.accounts[3]!.id;
  fake = await startFakeAws(org, {
    faults: [{ kind: 'access-denied', accountId: denied, operation: 'AssumeRole' }],
    s3Buckets: [
      { name: 'daily-evidence', objectLock: true },
      { name: 'denied-evidence', denied: true },
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), 'tw-daily-'));
  logsDir = join(dir, 'logs', 'AWSLogs');
  await generateSampleOrg(join(dir, 'logs'), { events: 4000 });
  out = join(dir, 'out');
  summaryFile = join(dir, 'summary.md');
  vi.stubEnv('GITHUB_STEP_SUMMARY', summaryFile);
  const config = parseConfig({
    organization: 'Daily Test Org',
    approvedRegions: ['us-east-1', 'eu-west-1', 'us-west-2'],
    engine: { duckdb: { logs: join(dir, 'logs', 'AWSLogs') } },
    aws: { timeouts: { callSeconds: 5, accountSeconds: 20 } },
    report: { pdf: false },
    email: {
      to: ['security@example.test'],
      from: 'trailwatch@example.test',
      smtp: { host: '127.0.0.1', port, secure: false },
    },
    deliver: {
      webhook: { urlEnv: 'TW_DAILY_HOOK' },
      s3: { bucket: 'daily-evidence', prefix: 'audit', objectLock: { mode: 'GOVERNANCE', retentionDays: 7 } },
    },
  });
  doc = await runDaily({
    config,
    date: '2026-11-20',
    outDir: out,
    log: silentLogger,
    deps: fakeDeps(fake),
  });
}, 120_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await fake.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => hook.close(() => resolve()));
});

describe('the daily run against the fake AWS, local logs and a real SMTP server', () => {
  it('audits the day: findings from the logs and coverage from every account the fake describes', () => {
    expect(doc.run.window).toEqual({ since: '2026-11-20T00:00:00Z', until: '2026-11-21T00:00:00Z' });
    expect(doc.findings.length).toBeGreaterThan(0);
    expect(doc.coverageSummary?.accountsTotal).toBe(4);
  });

  it('lists the account it could not enter and marks the run incomplete (exit code 2)', () => {
    expect(doc.errors.some((e) => e.code === 'assume-role-denied')).toBe(true);
    expect(doc.run.complete).toBe(false);
    expect(exitCodeFor(doc, parseConfig({}))).toBe(2);
  });

  it('names each account a logging trail covers whose logs held no event, and only those', () => {
    const silent = doc.errors.filter((e) => e.code === 'account-no-events');
    expect(silent.map((e) => [e.scope, e.id])).toEqual([['account', fakeAccountId(0)]]);
    expect(silent[0]?.message).toContain('between 2026-11-20T00:00:00Z and 2026-11-21T00:00:00Z');
    expect(silent[0]?.severity).toBeUndefined();
  });

  it('writes the evidence bundle with the org snapshot and a manifest', async () => {
    for (const f of ['findings.json', 'org-snapshot.json', 'digest.html', 'digest.txt', 'manifest.json'])
      expect(existsSync(join(out, f)), f).toBe(true);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as {
      files: { file: string }[];
    };
    expect(manifest.files.map((f) => f.file)).toContain('org-snapshot.json');
  });

  it('sends the digest by email with the counts in the subject and both parts', async () => {
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    // The subject counts alert rows: the unsuppressed alert findings, grouped as the rules say.
    const alerts = groupFindings(
      doc.findings.filter((f) => f.tier === 'alert' && !f.suppressed),
      groupingOfRules(await loadRules()),
    ).length;
    expect(mail.subject).toContain('Daily Test Org');
    expect(mail.subject).toContain('2026-11-20');
    expect(mail.subject).toMatch(new RegExp(`^${alerts} alerts?`));
    expect(mail.html).toBeTruthy();
    expect(mail.text).toContain('NOT AUDITED');
    expect(mail.text).toContain('assume-role-denied');
  });

  it('writes the GitHub job summary', async () => {
    const summary = await readFile(summaryFile, 'utf8');
    expect(summary).toContain('Daily Test Org');
  });

  it('stores the whole bundle in the evidence bucket, manifest last, and says so in the run and the summary', async () => {
    const s3 = doc.run.delivery?.s3;
    expect(s3).toMatchObject({
      status: 'uploaded',
      location: `s3://daily-evidence/audit/2026-11-20/${doc.run.runId}/`,
    });
    const stored = fake.s3.objects.filter((o) => o.bucket === 'daily-evidence');
    const local = (await expectWholeBundle(out)).files;
    expect(
      stored.map((o) => o.key.slice(s3!.location.length - 's3://daily-evidence/'.length)).sort(),
    ).toEqual([...local, 'manifest.json'].sort());
    expect(stored.at(-1)?.key.endsWith('/manifest.json')).toBe(true);
    // The manifest in the bucket is the one in the output folder, byte for byte.
    expect(stored.at(-1)?.body.toString('utf8')).toBe(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(stored.every((o) => o.objectLockMode === 'GOVERNANCE')).toBe(true);
    expect(await readFile(summaryFile, 'utf8')).toContain(
      '**Evidence stored:** s3\\://daily\\-evidence/audit/2026\\-11\\-20/',
    );
  });

  it('pings the chat last, saying the run is incomplete and where the evidence is', () => {
    expect(doc.run.delivery?.webhook).toEqual({ status: 'sent', urlEnv: 'TW_DAILY_HOOK', httpStatus: 200 });
    expect(pings).toHaveLength(1);
    expect(pings[0]?.text).toContain('*AUDIT INCOMPLETE*');
    expect(pings[0]?.text).toContain('`assume-role-denied`');
    expect(pings[0]?.text).toContain(`Evidence: \`${doc.run.delivery?.s3?.location ?? '?'}\``);
  });

  it('makes a denied evidence bucket a delivery error (exit code 2) that loses nothing local', async () => {
    const config = parseConfig({
      engine: { duckdb: { logs: logsDir } },
      aws: { timeouts: { callSeconds: 5, accountSeconds: 20 } },
      report: { pdf: false },
      deliver: { s3: { bucket: 'denied-evidence' } },
    });
    const deniedOut = join(out, '..', 'out-denied');
    const run = await runDaily({
      config,
      date: '2026-11-20',
      outDir: deniedOut,
      log: silentLogger,
      deps: fakeDeps(fake),
    });
    const error = run.errors.find((e) => e.code === 'evidence-not-uploaded');
    expect(error?.message).toContain('access-denied');
    expect(run.run.delivery?.s3?.status).toBe('failed');
    expect(exitCodeFor(run, config)).toBe(2);
    await expectWholeBundle(deniedOut);
    const manifest = JSON.parse(await readFile(join(deniedOut, 'manifest.json'), 'utf8')) as {
      errors: { code: string }[];
    };
    expect(manifest.errors.map((e) => e.code)).toContain('evidence-not-uploaded');
  });

  it('says what the manifest cannot: a failed manifest upload and a bundle not moved into --out are in the run, the job summary, the terminal and the exit code', async () => {
    // Only the accounts whose logs hold events, so the two delivery failures are the run's only problems.
    const config = parseConfig({
      engine: { duckdb: { logs: logsDir } },
      aws: {
        timeouts: { callSeconds: 5, accountSeconds: 20 },
        accounts: { exclude: [fakeAccountId(0), fakeAccountId(3)] },
      },
      report: { pdf: false },
      deliver: { s3: { bucket: 'daily-evidence', prefix: 'late' } },
    });
    const parent = await mkdtemp(join(tmpdir(), 'tw-late-'));
    // --out is a file: the bundle cannot be moved there (it is kept beside it, and the error names where).
    const lateOut = join(parent, 'out');
    await writeFile(lateOut, 'not a folder');
    const lateSummary = join(parent, 'summary.md');
    vi.stubEnv('GITHUB_STEP_SUMMARY', lateSummary);
    // Every file of the bundle is uploaded (as many as the first run stored, the manifest aside), then the
    // manifest's upload is refused.
    const fault = {
      kind: 'access-denied' as const,
      operation: 'PutObject',
      after: (doc.run.delivery?.s3?.files ?? 0) - 1,
    };
    fake.faults.push(fault);
    const logLines: string[] = [];
    try {
      const run = await runDaily({
        config,
        date: '2026-11-20',
        outDir: lateOut,
        log: createLogger({ level: 'info', sink: (line) => logLines.push(line) }),
        deps: fakeDeps(fake),
      });
      const blocking = run.errors.filter((e) => e.severity !== 'warning');
      expect(blocking.map((e) => e.code)).toEqual(['evidence-not-uploaded', 'output-not-written']);
      expect(blocking[0]?.message).toMatch(/uploading late\/2026-11-20\/.*\/manifest\.json failed/);
      expect(run.run.delivery?.s3?.status).toBe('failed');
      // The exit code and the terminal: the summary printed and the logged errors.
      expect(exitCodeFor(run, config)).toBe(2);
      const printed = formatRunSummary(run, lateOut);
      expect(printed).toContain('evidence-not-uploaded');
      expect(printed).toContain('output-not-written');
      expect(printed).toContain('AUDIT INCOMPLETE');
      expect(logLines.join('\n')).toMatch(/delivery failed.*evidence-not-uploaded/);
      expect(logLines.join('\n')).toMatch(/evidence not delivered.*is not a folder/);
      // The job summary, written last.
      const summary = await readFile(lateSummary, 'utf8');
      expect(summary).toContain('evidence\\-not\\-uploaded');
      expect(summary).toContain('output\\-not\\-written');
      // The manifest, written before both, names neither; the bundle kept beside --out is whole.
      const kept = (await readdir(parent)).filter((n) => n !== 'out' && n !== 'summary.md');
      expect(kept).toHaveLength(1);
      const manifest = JSON.parse(await readFile(join(parent, kept[0]!, 'manifest.json'), 'utf8')) as {
        errors: { code: string }[];
      };
      expect(manifest.errors).toEqual([]);
      expect(await readFile(lateOut, 'utf8')).toBe('not a folder');
    } finally {
      fake.faults.splice(fake.faults.indexOf(fault), 1);
      vi.stubEnv('GITHUB_STEP_SUMMARY', summaryFile);
    }
  });

  it('calls a run over an empty organization incomplete (exit code 2), saying why', async () => {
    const empty = generateOrg(1);
    empty.accounts = [];
    const emptyAws = await startFakeAws(empty);
    try {
      const config = parseConfig({
        engine: { duckdb: { logs: logsDir } },
        aws: {},
        report: { pdf: false },
      });
      const run = await runDaily({
        config,
        date: '2026-11-20',
        outDir: join(out, '..', 'out-empty'),
        log: silentLogger,
        deps: fakeDeps(emptyAws),
      });
      expect(run.errors.filter((e) => e.severity !== 'warning').map((e) => e.code)).toEqual([
        'no-accounts-to-audit',
      ]);
      expect(run.run.complete).toBe(false);
      expect(exitCodeFor(run, config)).toBe(2);
    } finally {
      await emptyAws.close();
    }
  });

  it('refuses a config without logs or AWS settings, naming both keys', async () => {
    const error = await runDaily({
      config: parseConfig({}),
      date: '2026-11-20',
      outDir: out,
      log: silentLogger,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
      'aws',
      'engine.duckdb.logs',
    ]);
  });
});
