// The classify stage of a run: the rules' findings and the coverage findings, the config and today in; the
// classified findings (tier and risk, suppressions, novelty, order), what each suppression did, and the
// history carried forward, out. Pure: the previous history is read by the caller.
import type { Config } from '../config/schema.js';
import type { HistoryFacts } from '../model.js';
import type { RawFinding } from '../rules/evaluate.js';
import type { RuleDefinition } from '../rules/types.js';
import type { CoverageInput } from '../trails/coverage.js';
import { classify, type Classified } from './classify.js';
import { groupingOfRules } from './group.js';
import { historyDay, lookback, nextHistory, type History } from './history.js';

/** What the run's classify stage takes. */
export interface ClassifyRunInput {
  findings: readonly RawFinding[];
  /** The coverage audit, if the run has one: its findings are classified with the rules'. */
  coverage: Pick<CoverageInput, 'findings'> | undefined;
  config: Pick<Config, 'suppressions' | 'rules' | 'history'>;
  rules: readonly RuleDefinition[];
  /** YYYY-MM-DD: a suppression applies through its expiry date. */
  today: string;
  /** The audited day (YYYY-MM-DD): the history keeps today's groups under it. */
  day: string;
  /** The previous bundle's history, and where it was read (null: none). */
  previous: { history: History | null; source: string | null };
}

/** The classified run, the facts of the history it was judged against, and the history to carry forward. */
export interface ClassifiedRun extends Classified {
  history: HistoryFacts;
  next: History;
}

/** Classifies the run's findings. */
export function classifyRun(input: ClassifyRunInput): ClassifiedRun {
  const { config, day: historyDate } = input;
  const previousDays = lookback(input.previous.history, historyDate, config.history.days);
  const grouping = groupingOfRules(input.rules);
  // Rule and coverage findings pass through the same suppressions; matching never touches the SQL.
  const classified = classify({
    findings: input.findings,
    coverage: input.coverage?.findings ?? [],
    suppressions: config.suppressions,
    overrides: config.rules,
    rules: input.rules,
    today: input.today,
    grouping,
    previousDays,
  });
  return {
    ...classified,
    history: {
      date: historyDate,
      days: config.history.days,
      previousDays: previousDays.length,
      source: input.previous.source,
    },
    // Today's groups join the previous days, carried forward into this bundle for the next run to read.
    next: nextHistory(
      input.previous.history,
      historyDay(historyDate, classified.findings, grouping),
      config.history.days,
    ),
  };
}
