import type { Config } from '../config/schema.js';
import type { FindingsFile } from '../model.js';
import { EXIT_CODES } from './exit-codes.js';

/** Sets the process exit code chosen by a command. */
export type SetExit = (code: number) => void;

/** The exit code of a finished run: 2 when incomplete (it wins), 1 for alerts with failOn: alert, else 0. */
export function exitCodeFor(doc: FindingsFile, config: Config): number {
  if (!doc.run.complete) return EXIT_CODES.incomplete;
  const alerts =
    doc.findings.some((f) => f.tier === 'alert' && !f.suppressed) ||
    doc.coverage.some((c) => c.tier === 'alert' && !c.suppressed);
  if (alerts && config.failOn === 'alert') return EXIT_CODES.alerts;
  return EXIT_CODES.ok;
}
