// A real SMTP server on 127.0.0.1 in the test process; the received message is parsed with mailparser.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailConfig } from '../../src/deliver/email.js';
import { sendDigestEmail } from '../../src/deliver/email.js';
import { buildDigestModel } from '../../src/report/model/index.js';
import { renderDigestEmail } from '../../src/report/email.js';
import { sampleReportInput } from '../fixtures/sample-org.js';

const PASSWORD = 's3cret-Pa55word';
const received: { envelopeTo: string[]; mail: ParsedMail }[] = [];
const server = new SMTPServer({
  authOptional: false,
  allowInsecureAuth: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onAuth(auth, _session, callback) {
    if (auth.username === 'digest' && auth.password === PASSWORD) return callback(null, { user: 'digest' });
    return callback(new Error('Invalid username or password'));
  },
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
        callback();
      })
      .catch(callback);
  },
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function config(overrides: Partial<EmailConfig> = {}): EmailConfig {
  return {
    to: ['secops@example.com', 'audit@example.com'],
    from: 'trailwatch@example.com',
    transport: 'smtp',
    smtp: { host: '127.0.0.1', port, secure: false, user: 'digest', passwordEnv: 'TW_TEST_SMTP_PASSWORD' },
    ...overrides,
  };
}

describe('sendDigestEmail over SMTP', () => {
  it('delivers the subject, both parts and every recipient', async () => {
    const email = await renderDigestEmail(buildDigestModel(sampleReportInput()));

    const result = await sendDigestEmail(email, config(), { env: { TW_TEST_SMTP_PASSWORD: PASSWORD } });

    expect(result).toEqual({ ok: true, messageId: expect.stringMatching(/^<.+>$/) });
    const last = received.at(-1);
    expect(last?.envelopeTo).toEqual(['secops@example.com', 'audit@example.com']);
    expect(last?.mail.subject).toBe('16 alerts, 2 to review, 1 trail problem — Acme Corp — 2026-11-21');
    expect(last?.mail.from?.text).toBe('trailwatch@example.com');
    expect(last?.mail.text).toContain('ALERTS — ACT NOW (16)');
    expect(last?.mail.html).toContain('Alerts — act now (16)');
    expect(last?.mail.html).toBe(email.html);
  });

  it('reports a refused login as an error entry without the password', async () => {
    const result = await sendDigestEmail({ subject: 's', html: '<p>h</p>', text: 't' }, config(), {
      env: { TW_TEST_SMTP_PASSWORD: 'wrong-password-123' },
    });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ scope: 'delivery', id: 'email', code: 'email-send-failed' });
    expect(result.error.message).not.toContain('wrong-password-123');
    expect(result.error.message).toMatch(/Invalid username or password|535/);
  });

  it('reports a missing password variable before connecting', async () => {
    const result = await sendDigestEmail({ subject: 's', html: 'h', text: 't' }, config(), { env: {} });

    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'email-not-configured',
        message: expect.stringContaining('TW_TEST_SMTP_PASSWORD'),
      }),
    });
  });

  it('reports an unreachable server as an error entry', async () => {
    const closed = config({ smtp: { host: '127.0.0.1', port: 1, secure: false } });

    const result = await sendDigestEmail({ subject: 's', html: 'h', text: 't' }, closed, { env: {} });

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'email-send-failed' }) });
  });
});
