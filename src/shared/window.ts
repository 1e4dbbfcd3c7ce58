import { InputError } from './errors.js';
import type { TimeWindow } from '../engine/types.js';

/** Normalises a user-given ISO date or timestamp to CloudTrail's eventTime form (YYYY-MM-DDTHH:MM:SSZ). */
export function toEventTime(value: string, flag: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new InputError(
      `${flag}: expected an ISO date or timestamp such as 2026-11-20 or 2026-11-20T06:00:00Z, found "${value}"`,
    );
  }
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Builds the [since, until) window from optional flags; without them every event is in scope. */
export function parseWindow(since?: string, until?: string): TimeWindow {
  const window = {
    since: since ? toEventTime(since, '--since') : null,
    until: until ? toEventTime(until, '--until') : null,
  };
  if (window.since && window.until && window.since >= window.until) {
    throw new InputError(`--since (${window.since}) must be before --until (${window.until})`);
  }
  return window;
}

/** The UTC day `date` (YYYY-MM-DD) as a window: [00:00, next day 00:00). */
export function dayWindow(date: string): TimeWindow {
  const since = toEventTime(date, '--date');
  const until = `${new Date(Date.parse(since) + 86_400_000).toISOString().slice(0, 19)}Z`;
  return { since, until };
}
