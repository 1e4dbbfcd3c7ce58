import type { Risk, Tier } from '../model.js';
import type { MitreTechnique } from './mitre.js';

/** A finding field a rule's findings can be grouped on. */
export type GroupField = 'principal' | 'eventName' | 'accountId' | 'sourceIp' | 'region';

/** How a rule's findings are grouped and watched from day to day (the rule file's `grouping` block). */
export interface RuleGrouping {
  /** The fields grouped on besides the rule (absent: principal, event name and account). */
  by?: readonly GroupField[];
  /** Remember each principal's source IPs and call out one never seen before (console sign-ins, root use). */
  newSourceIp: boolean;
}

/** A parameter a rule takes from the config (`rules.<id>.parameters.<name>`, or a top-level key). */
export interface RuleParameter {
  name: string;
  type: 'string' | 'integer' | 'string-list';
  description: string;
  /** Used when the config does not set it; no default and no value: the rule is "not configured". */
  default?: string | number | string[];
  /** The smallest value an integer parameter takes. */
  minimum?: number;
  /** A top-level config key that supplies the value (e.g. approvedRegions). */
  configKey?: string;
}

/** One inline test case: minimal CloudTrail record(s) and whether the rule must match them. */
export interface RuleTestCase {
  name: string;
  expect: 'match' | 'no-match';
  /** Fields that decide the case; the runner fills a realistic record around each. */
  events: Record<string, unknown>[];
  /** Parameter values for this case (e.g. approvedRegions). */
  parameters?: Record<string, unknown>;
  /** Dotted field paths removed from every filled record (fields CloudTrail omits for some events). */
  omit?: string[];
}

/** A detection rule: metadata (rules/<id>.yaml) plus its Athena SQL (queries/<id>.sql). */
export interface RuleDefinition {
  id: string;
  title: string;
  tier: Tier;
  risk: Risk;
  why: string;
  next: string;
  references: { title: string; url?: string }[];
  /** MITRE ATT&CK techniques the rule detects (none: it names none). */
  mitre: MitreTechnique[];
  parameters: RuleParameter[];
  /** How its findings are grouped and watched from day to day (absent: the default grouping). */
  grouping?: RuleGrouping;
  /** Names bound to the SQL's `?` placeholders, in order (windowStart, windowEnd, or a parameter name). */
  bind: string[];
  sql: string;
  tests: RuleTestCase[];
  /** Where the rule was loaded from. */
  file: string;
  sqlFile: string;
}
