// `trailwatch suppressions check`: validate every suppression (config and suppressionsFile) the way a run
// would, list them, and say which expire within 14 days and which have already expired.
import { loadCatalogue } from '../rules/catalogue.js';
import type { Command } from 'commander';
import { classify, EXPIRY_WARNING_DAYS, expiringSoon } from '../classify/classify.js';
import { loadConfig } from '../config/load.js';
import type { SuppressionStatus } from '../model.js';
import { safeForTerminal } from '../shared/escape.js';
import { toEventTime } from '../shared/window.js';
import type { SetExit } from './exit-code.js';
import { EXIT_CODES } from './exit-codes.js';

function describeMatch(s: SuppressionStatus): string {
  const parts = [`rule ${s.rule}`, ...Object.entries(s.match).map(([key, value]) => `${key} ${value}`)];
  return parts.join(', ');
}

function line(s: SuppressionStatus): string {
  const when =
    s.state === 'expired'
      ? `EXPIRED on ${s.expires}`
      : `expires ${s.expires} (in ${s.daysLeft} day${s.daysLeft === 1 ? '' : 's'})`;
  return safeForTerminal(
    `  ${s.id}: ${describeMatch(s)} — ${when}; owner ${s.owner ?? 'none'}; reason: ${s.reason}`,
  );
}

/** The report printed by `suppressions check` for statuses judged on `today`. */
export function formatSuppressionsCheck(
  statuses: readonly SuppressionStatus[],
  source: string,
  today: string,
): string[] {
  const expired = statuses.filter((s) => s.state === 'expired');
  const soon = expiringSoon(statuses);
  const lines = [
    safeForTerminal(
      `${statuses.length} suppression${statuses.length === 1 ? '' : 's'} in ${source}, all valid (checked on ${today}): ${statuses.length - expired.length} active, ${expired.length} expired`,
    ),
    ...statuses.map(line),
    '',
    soon.length > 0
      ? `Expiring within ${EXPIRY_WARNING_DAYS} days (${soon.length}):`
      : `Nothing expires within ${EXPIRY_WARNING_DAYS} days.`,
    ...soon.map(line),
  ];
  if (expired.length > 0) {
    lines.push('', `Expired — no longer suppressing anything (${expired.length}):`, ...expired.map(line));
  }
  return lines;
}

/** Registers `trailwatch suppressions check`. */
export function registerSuppressions(program: Command, setExit: SetExit): void {
  const suppressions = program
    .command('suppressions')
    .description('Check the suppressions of the configuration');
  suppressions
    .command('check')
    .description(
      `Validate every suppression (config and suppressionsFile) and list those expiring within ${EXPIRY_WARNING_DAYS} days; exit 3 on a bad entry`,
    )
    .option('--config <file>', 'configuration file (default: trailwatch.config.yaml when present)')
    .option('--date <yyyy-mm-dd>', 'judge expiry as of this day (default: today, UTC)')
    .action(async (opts: { config?: string; date?: string }) => {
      const today = opts.date
        ? toEventTime(opts.date, '--date').slice(0, 10)
        : new Date().toISOString().slice(0, 10);
      const { config, file } = await loadConfig(opts.config);
      // The same checks a run makes, so a suppression that passes here is one the daily job accepts.
      await loadCatalogue(config, today);
      const { suppressions: statuses } = classify({
        findings: [],
        suppressions: config.suppressions,
        today,
      });
      for (const text of formatSuppressionsCheck(statuses, file ?? 'the default configuration', today))
        process.stdout.write(`${text}\n`);
      setExit(EXIT_CODES.ok);
    });
}
