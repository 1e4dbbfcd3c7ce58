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

/** Removes anything that looks like a credential from a string. */
export function redactSecrets(value: string): string {
  let out = value;
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
