// Formatting shared by every section of the digest model.
//
// Every string that came from a log passes through `display()`: control and invisible characters become
// visible `\uXXXX` escapes (a right-to-left override must not reorder what an auditor reads) and very long
// values are clipped with a note, so no renderer has to remember to do it. HTML escaping stays the template
// engine's job.
import type { Risk, Tier } from '../../model.js';
import { neutralizeControls } from '../../shared/escape.js';
import type { ReportInput } from './types.js';

/** Longest value kept for one field; findings.json keeps the whole value. */
export const FIELD_LIMIT = 300;
/** Longest summary kept: a 10 MB request parameter must not become a table row taller than a page. */
export const SUMMARY_LIMIT = 500;

/** Findings and problems order by risk, worst first, and alerts before review items. */
export const RISK_ORDER: Record<Risk, number> = { high: 0, medium: 1, low: 2 };
export const TIER_ORDER: Record<Tier, number> = { alert: 0, review: 1 };

/** Makes a log-derived value displayable: visible escapes for invisible characters, clipped with a note. */
export function display(value: string | null | undefined, limit = FIELD_LIMIT): string {
  if (value === null || value === undefined || value === '') return '—';
  const clipped =
    value.length > limit
      ? `${value.slice(0, limit)}… [${(value.length - limit).toLocaleString('en-US')} more characters in findings.json]`
      : value;
  return neutralizeControls(clipped);
}

/** Formats a byte count as B/KB/MB/GB/TB (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Formats milliseconds as "850 ms", "12.3 s" or "4 min 05 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** "1 alert" / "3 alerts". */
export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** An ISO time as "YYYY-MM-DD HH:MM:SS UTC" (— when absent). */
export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const parsed = Date.parse(iso);
  if (Number.isNaN(parsed)) return display(iso, 40);
  return `${new Date(parsed).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Keeps only http(s) URLs, so a `javascript:` link can never reach a rendered href. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Names an account by id, from whatever the run knows (matrix, coverage findings, the account list). */
export type NameOf = (id: string | null) => string;

/** The account namer of a run: its display name by id, "—" for no account. */
export function accountNamer(input: ReportInput): NameOf {
  const names = new Map<string, string>();
  for (const cell of input.coverageMatrix ?? [])
    if (cell.accountName) names.set(cell.accountId, cell.accountName);
  for (const finding of input.coverage)
    if (finding.accountName) names.set(finding.accountId, finding.accountName);
  for (const account of input.accounts ?? []) if (account.name) names.set(account.id, account.name);
  return (id) => (id ? display(names.get(id) ?? '', 80) : '—');
}
