// The checks on suppressions that need more than the schema: the rule catalogue (is the id known, does the
// entry name fields a coverage check has), today's date (the expiry horizon) and the entry as a whole (does
// it narrow anything at all).
import type { Suppression } from './schema.js';

/** The longest a suppression may run: a yearly review at the least. */
export const MAX_SUPPRESSION_DAYS = 366;

/** Fields a suppression can narrow by; a coverage finding has only the account and the region. */
const EVENT_FIELDS = ['principal', 'eventName', 'sourceIp', 'userAgent'] as const;

/** Where a suppression was written, for messages: `suppressions[2]`, `team.yaml[0]`. */
export function suppressionOrigin(s: Suppression, index: number): string {
  return s.origin ?? `suppressions[${index}]`;
}

/** The name findings.json and the evidence quote for a suppression: its id, else where it was written. */
export function suppressionLabel(s: Suppression, index: number): string {
  return s.id ?? suppressionOrigin(s, index);
}

/** Whether a glob matches any text at all (`*`, `**`): it narrows nothing. */
function matchesEverything(glob: string): boolean {
  return /^\*+$/.test(glob);
}

/** Whether a CIDR block holds every address of its family (`0.0.0.0/0`, `::/0`). */
function everyAddress(cidr: string): boolean {
  return /\/0$/.test(cidr.trim());
}

/** The fields of a suppression that actually narrow what it matches. */
export function narrowingFields(s: Suppression): string[] {
  const fields: string[] = [];
  if (s.rule !== '*') fields.push('rule');
  if (s.accountId !== undefined) fields.push('accountId');
  if (s.region !== undefined) fields.push('region');
  for (const key of ['principal', 'eventName', 'userAgent'] as const) {
    const value = s[key];
    if (value !== undefined && !matchesEverything(value)) fields.push(key);
  }
  if (s.sourceIp !== undefined && !everyAddress(s.sourceIp)) fields.push('sourceIp');
  return fields;
}

/** The day `days` after `day` (both YYYY-MM-DD, UTC). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Every problem with the suppressions, as `path: expected X, found Y`: an unknown rule or check id, event
 * fields on a coverage check (it has none, so the entry would be accepted and ignored), an entry that
 * narrows nothing (it would hide every alert, root use included), an expiry more than 366 days after `today`.
 */
export function suppressionProblems(
  suppressions: readonly Suppression[],
  options: { today: string; ruleIds: readonly string[]; checkIds: readonly string[] },
): string[] {
  const rules = new Set(options.ruleIds);
  const checks = new Set(options.checkIds);
  const horizon = addDays(options.today, MAX_SUPPRESSION_DAYS);
  const problems: string[] = [];
  suppressions.forEach((s, i) => {
    const at = suppressionOrigin(s, i);
    if (s.rule !== '*' && !rules.has(s.rule) && !checks.has(s.rule)) {
      problems.push(`${at}.rule: expected a rule or coverage check id, found "${s.rule}"`);
    }
    if (checks.has(s.rule)) {
      for (const key of EVENT_FIELDS) {
        if (s[key] !== undefined) {
          problems.push(
            `${at}.${key}: expected no ${key} on coverage check ${s.rule} (it matches by accountId and region only), found "${s[key]}"`,
          );
        }
      }
    }
    if (narrowingFields(s).length === 0) {
      problems.push(
        `${at}: expected a rule id or at least one narrowing field (accountId, region, principal, eventName, sourceIp, userAgent), found a suppression of everything`,
      );
    }
    if (s.expires > horizon) {
      problems.push(
        `${at}.expires: expected a date at most ${MAX_SUPPRESSION_DAYS} days ahead (on or before ${horizon}), found "${s.expires}"`,
      );
    }
  });
  return problems;
}
