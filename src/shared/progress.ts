import type { Logger } from './log.js';

/** Reports progress of long work: a live line on a terminal, a plain log line now and then elsewhere (CI). */
export interface Progress {
  tick(count?: number): void;
  done(meta?: Record<string, unknown>): void;
}

/** Starts a progress report for `total` units of `label` work. */
export function startProgress(
  label: string,
  total: number,
  log: Logger,
  stream: NodeJS.WriteStream = process.stderr,
  unit: 'items' | 'percent' = 'items',
): Progress {
  const started = Date.now();
  // A live line needs a terminal that understands `\r` and erase-line (not TERM=dumb), and is noise under
  // --quiet (TRAILWATCH_LOG_LEVEL warn or error).
  const quiet = ['warn', 'error'].includes(process.env.TRAILWATCH_LOG_LEVEL ?? '');
  const live = Boolean(stream.isTTY) && process.env.CI !== 'true' && process.env.TERM !== 'dumb' && !quiet;
  let current = 0;
  let lastLogged = started;
  let lastPercent = 0;
  const render = () => {
    const percent = total > 0 ? Math.floor((current / total) * 100) : 100;
    if (live) {
      stream.write(
        unit === 'percent' ? `\r${label}: ${percent}%` : `\r${label}: ${current}/${total} (${percent}%)`,
      );
      return;
    }
    // Plain logs: one line per 25% or every 10 seconds, so CI logs stay short.
    const now = Date.now();
    if (percent >= lastPercent + 25 || now - lastLogged > 10_000) {
      lastPercent = percent - (percent % 25);
      lastLogged = now;
      log.info(label, unit === 'percent' ? { percent } : { done: current, total, percent });
    }
  };
  return {
    tick(count = 1) {
      current += count;
      render();
    },
    done(meta) {
      if (live) stream.write('\r\u001b[2K');
      log.info(`${label} done`, {
        total,
        seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
        ...meta,
      });
    },
  };
}
