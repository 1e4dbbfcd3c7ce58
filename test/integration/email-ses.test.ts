// The digest sent through Amazon SES: the real SESv2 client over HTTP to the fake AWS endpoint on 127.0.0.1,
// which keeps the raw MIME message it was given; mailparser reads it back.
import { mkdtemp, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { simpleParser, type AddressObject } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsSection, createClientFactory } from '../../src/aws/clients.js';
import { exitCodeFor } from '../../src/cli/exit-code.js';
import { parseConfig } from '../../src/config/load.js';
import type { EmailConfig } from '../../src/deliver/email.js';
import { sendDigestEmail, sesTransport } from '../../src/deliver/email.js';
import { buildDigestModel } from '../../src/report/model/index.js';
import { renderDigestEmail, type DigestEmail } from '../../src/report/email.js';
import { runDaily } from '../support/daily-run.js';
import { generateSampleOrg } from '../../src/samples/generate.js';
import { silentLogger } from '../../src/shared/log.js';
import {
  FAKE_RUNNER_CREDENTIALS,
  fakeAccountId,
  generateOrg,
  type FakeAws,
} from '../../tools/fake-aws/index.js';
import { sampleReportInput } from '../fixtures/sample-org.js';
import { fakeDeps } from './fake-aws/deps.js';
import { fakeAwsPerTest } from './fake-aws/per-test.js';

const start = fakeAwsPerTest();

function sesConfig(overrides: Partial<EmailConfig> = {}): EmailConfig {
  return {
    to: ['secops@example.com', 'audit@example.com'],
    from: 'trailwatch@example.com',
    transport: 'ses',
    sesRegion: 'eu-west-1',
    ...overrides,
  };
}

/** The run's client factory over the fake, as runDaily builds it from the config's aws section. */
function clientsFor(endpoint: FakeAws, aws: Record<string, unknown> = { region: 'us-east-1' }, attempts = 4) {
  return createClientFactory(awsSection(parseConfig({ aws })), fakeDeps(endpoint, attempts));
}

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  [field ?? []].flat().flatMap((a) => a.value.map((v) => v.address));

let digest: DigestEmail;
beforeAll(async () => {
  digest = await renderDigestEmail(buildDigestModel(sampleReportInput()));
});

describe('sendDigestEmail through SES', () => {
  it('delivers the rendered digest as one raw SendEmail, signed for ses in email.sesRegion', async () => {
    const endpoint = await start();

    const result = await sendDigestEmail(digest, sesConfig(), { clients: clientsFor(endpoint) });

    const [sent, ...more] = endpoint.emails;
    expect(more).toEqual([]);
    expect(result).toEqual({ ok: true, messageId: sent?.messageId });
    expect(sent).toMatchObject({
      signingService: 'ses',
      signingRegion: 'eu-west-1',
      fromEmailAddress: 'trailwatch@example.com',
      toAddresses: ['secops@example.com', 'audit@example.com'],
    });
    const mail = await simpleParser(sent?.raw ?? '');
    expect(mail.from?.text).toBe('trailwatch@example.com');
    expect(addresses(mail.to)).toEqual(['secops@example.com', 'audit@example.com']);
    expect(mail.subject).toBe(digest.subject);
    expect(mail.html).toBe(digest.html);
    expect(mail.text).toBe(digest.text);
    expect(mail.headers.get('x-trailwatch')).toBe('digest');
  });

  it('signs in aws.region when email.sesRegion is unset', async () => {
    const endpoint = await start();
    const config = sesConfig();
    delete config.sesRegion;

    const result = await sendDigestEmail(digest, config, {
      clients: clientsFor(endpoint, { region: 'ap-southeast-2' }),
    });

    expect(result.ok).toBe(true);
    expect(endpoint.emails.map((e) => e.signingRegion)).toEqual(['ap-southeast-2']);
  });

  it('keeps a subject with CR/LF on one header line: nothing is injected', async () => {
    const endpoint = await start();
    const hostile = {
      ...digest,
      subject: 'Daily digest\r\nBcc: attacker@evil.example\r\nX-Injected: yes\n\nbody',
    };

    const result = await sendDigestEmail(hostile, sesConfig(), { clients: clientsFor(endpoint) });

    expect(result.ok).toBe(true);
    const [sent] = endpoint.emails;
    const mail = await simpleParser(sent?.raw ?? '');
    expect(mail.subject).toBe('Daily digest Bcc: attacker@evil.example X-Injected: yes body');
    expect(mail.headers.has('bcc')).toBe(false);
    expect(mail.headers.has('x-injected')).toBe(false);
    expect(sent?.toAddresses).toEqual(['secops@example.com', 'audit@example.com']);
    expect(sent?.raw).not.toMatch(/^(Bcc|X-Injected):/im);
  });

  it('turns other control characters in the subject into spaces, keeping visible text', async () => {
    const endpoint = await start();
    const hostile = { ...digest, subject: 'a\u0000b\u001b[31mc\u000bd\u0085e\u2028f' };

    const result = await sendDigestEmail(hostile, sesConfig(), { clients: clientsFor(endpoint) });

    expect(result.ok).toBe(true);
    const mail = await simpleParser(endpoint.emails[0]?.raw ?? '');
    expect(mail.subject).toBe('a b [31mc d e f');
  });

  it('reports a client that cannot be built as email-not-configured instead of throwing', async () => {
    const clients = {
      ses: () => {
        throw new Error('Region is missing');
      },
    };

    const result = await sendDigestEmail(digest, sesConfig(), { clients });

    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'email-not-configured',
        message: expect.stringContaining('Region is missing'),
      }),
    });
  });

  it('reports a rejected send (MessageRejected) as email-send-failed', async () => {
    const endpoint = await start(generateOrg(2), { faults: [{ kind: 'rejected', operation: 'SendEmail' }] });

    const result = await sendDigestEmail(digest, sesConfig(), { clients: clientsFor(endpoint) });

    expect(result).toEqual({
      ok: false,
      error: {
        scope: 'delivery',
        id: 'email',
        code: 'email-send-failed',
        message: 'sending the digest failed: MessageRejected: Email address is not verified.',
      },
    });
    expect(endpoint.emails).toEqual([]);
    // A rejection is final: the client does not retry it.
    expect(endpoint.stats.byOperation.get('SendEmail')).toBe(1);
  });

  it('retries a throttled send (TooManyRequestsException) and delivers it', async () => {
    const endpoint = await start(generateOrg(2), {
      faults: [{ kind: 'throttle', operation: 'SendEmail', times: 2 }],
    });

    const result = await sendDigestEmail(digest, sesConfig(), { clients: clientsFor(endpoint) });

    expect(result).toEqual({ ok: true, messageId: endpoint.emails[0]?.messageId });
    expect(endpoint.stats.byOperation.get('SendEmail')).toBe(3);
    expect(endpoint.emails).toHaveLength(1);
  });

  it('gives up on a send still throttled after the configured attempts', async () => {
    const endpoint = await start(generateOrg(2), { faults: [{ kind: 'throttle', operation: 'SendEmail' }] });

    const result = await sendDigestEmail(digest, sesConfig(), {
      clients: clientsFor(endpoint, undefined, 3),
    });

    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'email-send-failed',
        message: expect.stringContaining('TooManyRequestsException'),
      }),
    });
    expect(endpoint.stats.byOperation.get('SendEmail')).toBe(3);
  });

  it('reports an unreachable SES endpoint as email-send-failed', async () => {
    const clients = createClientFactory(awsSection(parseConfig({ aws: {} })), {
      endpoint: 'http://127.0.0.1:1',
      credentials: FAKE_RUNNER_CREDENTIALS,
      retryStrategy: new ConfiguredRetryStrategy(2, () => 10),
    });

    const result = await sendDigestEmail(digest, sesConfig(), { clients });

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'email-send-failed' }) });
  });

  it('says what is missing when no AWS clients are given for transport ses', async () => {
    const result = await sendDigestEmail(digest, sesConfig());

    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'email-not-configured',
        message: expect.stringContaining('ses'),
      }),
    });
  });
});

describe('who signs the SES call', () => {
  it("is the runner's own credentials, with no role assumed", async () => {
    const endpoint = await start();

    await sendDigestEmail(digest, sesConfig(), { clients: clientsFor(endpoint) });

    expect(endpoint.emails.map((e) => e.callerKind)).toEqual(['runner']);
    expect(endpoint.assumeRoles).toEqual([]);
  });

  it('is the hub session when a hub role is configured, never an audit role', async () => {
    const org = generateOrg(2);
    org.hubRoleArn = 'arn:aws:iam::999999999999:role/TrailwatchHub';
    const endpoint = await start(org);

    const result = await sendDigestEmail(digest, sesConfig(), {
      clients: clientsFor(endpoint, { hubRoleArn: org.hubRoleArn }),
    });

    expect(result.ok).toBe(true);
    expect(endpoint.emails.map((e) => e.callerKind)).toEqual(['hub']);
    expect(endpoint.assumeRoles.map((r) => [r.roleArn, r.outcome])).toEqual([[org.hubRoleArn, 'issued']]);
  });

  it("would be refused with an audit role's credentials, and the error names no session", async () => {
    const endpoint = await start();
    const audit = clientsFor(endpoint).forAccount(fakeAccountId(1));
    const client = new SESv2Client({
      region: 'eu-west-1',
      endpoint: endpoint.endpoint,
      credentials: audit.credentials,
      maxAttempts: 1,
    });

    const result = await sendDigestEmail(digest, sesConfig(), { transport: sesTransport(client) });
    client.destroy();
    audit.destroy();

    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'email-send-failed',
        message: expect.stringMatching(
          /^sending the digest failed: AccessDeniedException: .*ses:SendRawEmail/,
        ),
      }),
    });
    if (!result.ok) expect(result.error.message).toContain('assumed-role/[session]');
    expect(endpoint.emails).toEqual([]);
  });
});

describe('the daily run delivering through SES', () => {
  let logs: string;
  let out: string;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tw-ses-'));
    logs = join(dir, 'logs');
    out = dir;
    await generateSampleOrg(logs, { events: 600 });
    vi.stubEnv('GITHUB_STEP_SUMMARY', join(dir, 'summary.md'));
  }, 120_000);
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  async function run(endpoint: FakeAws, name: string) {
    const config = parseConfig({
      organization: 'SES Test Org',
      engine: { duckdb: { logs: join(logs, 'AWSLogs') } },
      aws: { region: 'eu-central-1' },
      report: { pdf: false },
      email: { to: ['security@example.test'], from: 'trailwatch@example.test', transport: 'ses' },
    });
    const outDir = join(out, name);
    const doc = await runDaily({
      config,
      date: '2026-11-20',
      outDir,
      log: silentLogger,
      orgSnapshot: 'samples/org-snapshot.json',
      deps: fakeDeps(endpoint),
    });
    return { doc, outDir, config };
  }

  it('sends the digest with the run clients, in aws.region when email.sesRegion is unset', async () => {
    const endpoint = await start();

    const { doc, outDir } = await run(endpoint, 'sent');

    expect(doc.errors.filter((e) => e.scope === 'delivery')).toEqual([]);
    expect(endpoint.emails).toHaveLength(1);
    expect(endpoint.emails[0]).toMatchObject({ signingRegion: 'eu-central-1', callerKind: 'runner' });
    const mail = await simpleParser(endpoint.emails[0]?.raw ?? '');
    expect(mail.subject).toContain('SES Test Org');
    expect(existsSync(join(outDir, 'digest.txt'))).toBe(true);
  });

  it('records a rejected send as a delivery error and finishes the run with its evidence', async () => {
    const endpoint = await start(generateOrg(2), { faults: [{ kind: 'rejected', operation: 'SendEmail' }] });

    const { doc, outDir } = await run(endpoint, 'rejected');

    expect(doc.errors.filter((e) => e.scope === 'delivery')).toEqual([
      {
        scope: 'delivery',
        id: 'email',
        code: 'email-send-failed',
        message: 'sending the digest failed: MessageRejected: Email address is not verified.',
      },
    ]);
    expect(doc.run.complete).toBe(false);
    expect(exitCodeFor(doc, parseConfig({}))).toBe(2);
    expect(doc.findings.length).toBeGreaterThan(0);
    for (const f of ['findings.json', 'digest.html', 'digest.txt', 'manifest.json'])
      expect(existsSync(join(outDir, f)), f).toBe(true);
    // The files that outlive the terminal say the failed send too.
    const manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as {
      errors: { code: string }[];
    };
    expect(manifest.errors.map((e) => e.code)).toContain('email-send-failed');
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain('email\\-send\\-failed');
  });
});
