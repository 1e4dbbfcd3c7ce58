import { safeForTerminal } from './escape.js';

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured metadata attached to a log line. */
export type LogMeta = Record<string, unknown>;

/** A logger: a static message plus metadata. Child loggers add bound metadata (e.g. the account). */
export interface Logger {
  debug(message: string, meta?: LogMeta): void;
  info(message: string, meta?: LogMeta): void;
  warn(message: string, meta?: LogMeta): void;
  error(message: string, meta?: LogMeta): void;
  child(bound: LogMeta): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /secret|token|password|passwd|credential|authorization|accesskey|sessionkey/i;
const SECRET_VALUE = [
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // access key ids
  /\bIQoJb3JpZ2lu[A-Za-z0-9+/=]{20,}/g, // STS session tokens
  /\b[A-Za-z0-9+/]{40}\b(?=\s|$|")/g, // secret access keys (40 base64 chars)
];

// Credentials this process was given (the SMTP password…), in every form a transport may put them on the
// wire: as text, and base64 at each of the three alignments it can take inside a longer base64 string (SMTP
// AUTH PLAIN sends base64 of "\0user\0password"; AUTH LOGIN sends user and password separately).
const registered = new Set<string>();
// Shorter base64 fragments would redact ordinary words.
const MIN_FRAGMENT = 8;

function base64Forms(secret: string, anywhere: boolean): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const whole = bytes.toString('base64');
  const forms = [whole, whole.replace(/=+$/, '')];
  if (!anywhere) return forms;
  for (let skip = 0; skip < 3; skip += 1) {
    // The secret starting `skip` bytes into a 3-byte group's boundary: the groups made only of its own bytes
    // encode the same way whatever precedes or follows them.
    const inner = bytes.subarray(skip);
    const full = inner.subarray(0, inner.length - (inner.length % 3));
    const fragment = full.toString('base64');
    if (fragment.length >= MIN_FRAGMENT) forms.push(fragment);
  }
  return forms;
}

/**
 * Registers a credential so that every log line and every error message redacts it, as text and as base64.
 * `user` names an account that goes with a password: its own base64 and that of the AUTH PLAIN blob are
 * redacted too.
 */
export function registerSecret(secret: string, user?: string): void {
  if (!secret) return;
  const forms = [secret, ...base64Forms(secret, true)];
  if (user) {
    forms.push(...base64Forms(user, false));
    for (const blob of [`\0${user}\0${secret}`, `${user}\0${user}\0${secret}`])
      forms.push(...base64Forms(blob, false));
  }
  for (const form of forms) if (form.length > 0) registered.add(form);
}

/** Removes anything that looks like a credential, and every registered credential, from a string. */
export function redactSecrets(value: string): string {
  let out = value;
  // Longest first, so that a blob is redacted whole before a fragment of it is.
  for (const secret of [...registered].sort((a, b) => b.length - a.length))
    out = out.split(secret).join('[redacted]');
  for (const pattern of SECRET_VALUE) out = out.replace(pattern, '[redacted]');
  return out;
}

function redactValue(key: string, value: unknown, depth = 0): unknown {
  if (SECRET_KEY.test(key)) return '[redacted]';
  if (typeof value === 'string') return redactSecrets(value);
  if (value instanceof Error) return redactSecrets(value.message);
  if (Array.isArray(value)) return depth > 3 ? '[…]' : value.map((v) => redactValue('', v, depth + 1));
  if (value && typeof value === 'object') {
    if (depth > 3) return '[…]';
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(k, v, depth + 1)]));
  }
  return value;
}

/** Formats one line: `level message key=value …`, redacted and safe for terminals and Actions logs. */
export function formatLogLine(level: LogLevel, message: string, meta: LogMeta): string {
  const parts = Object.entries(meta)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const redacted = redactValue(k, v);
      const text = typeof redacted === 'string' ? redacted : JSON.stringify(redacted);
      return `${k}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`;
    });
  return safeForTerminal([level.padEnd(5), message, ...parts].join(' '), 8000);
}

/** Creates a logger writing to a sink (stderr by default) at or above `level`. */
export function createLogger(
  options: { level?: LogLevel; sink?: (line: string) => void; bound?: LogMeta } = {},
): Logger {
  const level = options.level ?? ((process.env.TRAILWATCH_LOG_LEVEL as LogLevel | undefined) || 'info');
  const sink = options.sink ?? ((line: string) => process.stderr.write(`${line}\n`));
  const bound = options.bound ?? {};
  const write = (at: LogLevel, message: string, meta?: LogMeta) => {
    if (ORDER[at] < (ORDER[level] ?? 20)) return;
    sink(formatLogLine(at, message, { ...bound, ...meta }));
  };
  return {
    debug: (m, meta) => write('debug', m, meta),
    info: (m, meta) => write('info', m, meta),
    warn: (m, meta) => write('warn', m, meta),
    error: (m, meta) => write('error', m, meta),
    child: (more) => createLogger({ level, sink, bound: { ...bound, ...more } }),
  };
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = createLogger({ sink: () => undefined });
