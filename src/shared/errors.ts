// Run-ending problems are thrown as these typed errors (keeping `cause`); the CLI maps each to an exit code.
// Everything that fails for one account, region, rule or file is data instead: a RunErrorEntry.
import type { ErrorCode } from './error-codes.js';

export type { ErrorCode } from './error-codes.js';

/** A bad configuration file or option: exit code 3. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Every problem found, each as `path: expected X, found Y`. */
  readonly problems: string[];
  constructor(message: string, problems: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.problems = problems;
  }
}

/** Input that cannot be used at all (a logs folder that does not exist, an unreadable snapshot): exit code 3. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The output folder is in use by another live run: nothing was audited, so the run is incomplete (exit 2),
 * and the other run's evidence is left alone.
 */
export class OutputBusyError extends Error {
  override readonly name = 'OutputBusyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Where a failure happened. */
export type ErrorScope = 'account' | 'region' | 'rule' | 'file' | 'engine' | 'report' | 'delivery' | 'run';

/** One thing that could not be evaluated: the run goes on and is marked incomplete. */
export interface RunErrorEntry {
  scope: ErrorScope;
  /** The account id, `account/region`, rule id or file path the failure belongs to. */
  id: string;
  /** Stable kebab-case code (shared/error-codes.ts lists them all), e.g. `file-unreadable`. */
  code: ErrorCode;
  message: string;
  /** A warning is said but does not make the audit incomplete (e.g. records evaluated with fields missing). */
  severity?: 'warning';
}

/** Whether these errors make the audit incomplete (exit code 2): any entry that is not a warning. */
export function isIncomplete(errors: readonly RunErrorEntry[]): boolean {
  return errors.some((e) => e.severity !== 'warning');
}

/** The message of an unknown thrown value, without a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
