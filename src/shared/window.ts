import { InputError } from './errors.js';

/** A time window over eventtime: [since, until). Null bounds are open. */
export interface TimeWindow {
  since: string | null;
  until: string | null;
}

const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * Whether `value` starts with a date that exists on the calendar: `2026-02-31` and `9999-99-99` do not
 * (JavaScript's Date would roll the first over to March 3rd).
 */
export function startsWithCalendarDate(value: string): boolean {
  const match = DATE_PREFIX.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether `value` is a real date (YYYY-MM-DD) or an ISO 8601 timestamp on a real date. */
export function isIsoDateOrTimestamp(value: string): boolean {
  return startsWithCalendarDate(value) && !Number.isNaN(new Date(value).getTime());
}

/** Normalises a user-given ISO date or timestamp to CloudTrail's eventTime form (YYYY-MM-DDTHH:MM:SSZ). */
export function toEventTime(value: string, flag: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (!isIsoDateOrTimestamp(value) || Number.isNaN(date.getTime())) {
    throw new InputError(
      `${flag}: expected an ISO date or timestamp such as 2026-11-20 or 2026-11-20T06:00:00Z (a real calendar date), found "${value}"`,
    );
  }
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Checks a user-given UTC day: exactly YYYY-MM-DD, and a day that exists. */
export function checkCalendarDay(value: string, flag: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !startsWithCalendarDate(value)) {
    throw new InputError(
      `${flag}: expected a real calendar day as YYYY-MM-DD such as 2026-11-20, found "${value}"`,
    );
  }
  return value;
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

/** Yesterday in UTC, the day a morning run audits. */
export function yesterdayUtc(now = new Date()): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/** The audited day (YYYY-MM-DD): the window's first, or (no window, no event) the day the run started. */
export function auditedDay(since: string | null, startedAt: Date): string {
  return (since ?? startedAt.toISOString()).slice(0, 10);
}
