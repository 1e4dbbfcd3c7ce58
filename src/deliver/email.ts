// Sends the digest email with nodemailer, over SMTP or through Amazon SES (SESv2 SendEmail with the raw MIME
// message nodemailer composes). The SMTP password comes from the environment variable the config names and is
// never logged or put in an error message; SES signs with the runner's (or hub's) credentials. A failed send
// is an error entry, not a crash.
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { createTransport } from 'nodemailer';
import type { ClientFactory } from '../aws/clients.js';
import { classifyAwsError } from '../aws/errors.js';
import type { Config } from '../config/schema.js';
import type { ErrorCode, RunErrorEntry } from '../shared/errors.js';
import { errorMessage } from '../shared/errors.js';
import { redactSecrets, registerSecret } from '../shared/log.js';

/** The message to send: the rendered digest. */
export interface DigestMessage {
  subject: string;
  html: string;
  text: string;
}

/** The part of a nodemailer transport we use; tests and other transports can stand in. */
export interface MailTransport {
  sendMail(message: {
    from: string;
    to: string[];
    subject: string;
    html: string;
    text: string;
    headers?: Record<string, string>;
  }): Promise<{ messageId: string }>;
  close?(): void;
}

/** Email settings from the config. */
export type EmailConfig = NonNullable<Config['email']>;

/** The result of sending: the SMTP Message-ID or SES's MessageId, or the error entry for the run's facts. */
export type SendResult = { ok: true; messageId: string } | { ok: false; error: RunErrorEntry };

function failure(code: ErrorCode, message: string): SendResult {
  return { ok: false, error: { scope: 'delivery', id: 'email', code, message } };
}

/** Builds the SMTP transport from the config (password read from `smtp.passwordEnv`). */
export function smtpTransport(
  config: EmailConfig,
  env: NodeJS.ProcessEnv = process.env,
): MailTransport | string {
  const smtp = config.smtp;
  if (!smtp) return 'email.smtp is not set: host and port are needed to send over SMTP';
  let auth: { user: string; pass: string } | undefined;
  if (smtp.user) {
    const pass = smtp.passwordEnv ? env[smtp.passwordEnv] : undefined;
    if (!pass)
      return `email.smtp.user is set but the environment variable ${smtp.passwordEnv ?? '(passwordEnv unset)'} holds no password`;
    auth = { user: smtp.user, pass };
    // From here on, no log line or error message can carry the password, plainly or base64-encoded.
    registerSecret(pass, smtp.user);
  }
  return createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth,
    // Fail within a minute rather than hang the daily job.
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
  });
}

/**
 * Builds the SES transport over an SESv2 client (which it owns and destroys on close): nodemailer composes
 * the MIME message and sends it as `Content.Raw.Data` of one SendEmail call, which the client retries.
 */
export function sesTransport(client: SESv2Client): MailTransport {
  const mailer = createTransport({ SES: { sesClient: client, SendEmailCommand } });
  return {
    async sendMail(message) {
      try {
        // nodemailer dresses SES's MessageId as a Message-ID header value; `response` is SES's own id.
        const info = await mailer.sendMail(message);
        return { messageId: info.response };
      } catch (error) {
        // AWS's messages can carry the caller's session ARN: keep the error's name, drop the session.
        throw new Error(classifyAwsError(error, 'call').message, { cause: error });
      }
    },
    close() {
      client.destroy();
    },
  };
}

/** What sending needs from outside the config; tests stand in a transport, the run passes its clients. */
export interface EmailDeps {
  transport?: MailTransport;
  /** Where `smtp.passwordEnv` is read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** The run's AWS clients, for `transport: ses`. */
  clients?: Pick<ClientFactory, 'ses'>;
}

/** The transport the config names, or why there is none. */
function configuredTransport(config: EmailConfig, deps: EmailDeps): MailTransport | string {
  if (deps.transport) return deps.transport;
  if (config.transport === 'smtp') return smtpTransport(config, deps.env);
  if (!deps.clients) return 'email.transport is "ses" but no AWS clients were given to send with';
  // sesRegion unset: the factory's own region, aws.region.
  return sesTransport(deps.clients.ses(config.sesRegion));
}

/**
 * What went wrong with a send, in our words: an SMTP server's reply text is not copied (a server may echo the
 * AUTH exchange, or anything else, into it), only its reply code and the command it answered.
 */
function describeSendError(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown; command?: unknown };
  if (typeof e.responseCode === 'number') {
    const code = typeof e.code === 'string' ? `${e.code}: ` : '';
    const command =
      typeof e.command === 'string'
        ? ` to ${e.command
            .split(' ')
            .slice(0, 2)
            .join(' ')
            .replace(/[^\w .-]/g, '')}`
        : '';
    return redactSecrets(`${code}the server answered ${e.responseCode}${command}`);
  }
  return redactSecrets(errorMessage(error));
}

/** Sends the digest to `email.to`. Never throws: a failure comes back as an error entry. */
export async function sendDigestEmail(
  message: DigestMessage,
  config: EmailConfig,
  deps: EmailDeps = {},
): Promise<SendResult> {
  let transport: MailTransport | string;
  try {
    transport = configuredTransport(config, deps);
  } catch (error) {
    // Building the transport (the SES client, say) must not end the run either.
    return failure('email-not-configured', `no email transport: ${redactSecrets(errorMessage(error))}`);
  }
  if (typeof transport === 'string') return failure('email-not-configured', transport);
  try {
    const info = await transport.sendMail({
      from: config.from,
      to: config.to,
      // A header is one line: the subject is already free of control characters, this is belt and braces.
      subject: message.subject.replace(/[\p{Cc}\u2028\u2029]+/gu, ' '),
      html: message.html,
      text: message.text,
      headers: { 'X-Trailwatch': 'digest' },
    });
    return { ok: true, messageId: info.messageId };
  } catch (error) {
    return failure('email-send-failed', `sending the digest failed: ${describeSendError(error)}`);
  } finally {
    if (!deps.transport) transport.close?.();
  }
}
