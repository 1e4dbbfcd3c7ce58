// The Athena CloudTrail tables: their DDL (from queries/cloudtrail-table.sql), and the projection values
// they must list so that Athena reads every account and region the organization has. Pure: the AWS calls
// live in athena-setup.ts and athena-sync.ts.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../shared/errors.js';
import { PROJECT_ROOT } from '../shared/version.js';

/** The `engine.athena` section of the config. */
type AthenaSettings = Config['engine']['athena'];

/** Where a trail writes its keys: an organization trail (AWSLogs/<org-id>/<account>/…) or an account's own. */
export type TableLayout = 'organization' | 'account';

/** One CloudTrail table to create or keep in step. */
export interface TableSpec {
  layout: TableLayout;
  database: string;
  table: string;
  /** The S3 URL the table's location and template start with, ending in `AWSLogs/` (or `AWSLogs/<org-id>/`). */
  root: string;
  accounts: string[];
  regions: string[];
}

/** The organization the tables must cover. */
export interface TableScope {
  organizationId: string | null;
  accounts: string[];
  regions: string[];
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ORG_ID = /^o-[a-z0-9]{4,32}$/;

/** The table properties that hold the projected values. */
export const PROJECTION_KEYS = {
  accounts: 'projection.account.values',
  regions: 'projection.region.values',
  template: 'storage.location.template',
} as const;

/** Sorted, de-duplicated values, for projection lists and comparisons. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** The tables the config's layouts name, over its bucket, covering `scope`. Throws ConfigError when unusable. */
export function tableSpecs(settings: AthenaSettings, scope: TableScope): TableSpec[] {
  const problems: string[] = [];
  if (!settings.bucket) problems.push('engine.athena.bucket: expected the trail bucket name, found nothing');
  const organizationId = settings.organizationId ?? scope.organizationId;
  const wantsOrg = settings.layouts.includes('organization');
  if (wantsOrg && !organizationId) {
    problems.push(
      'engine.athena.organizationId: expected the organization id (o-…) of the organization trail, found nothing (discovery did not give one either)',
    );
  }
  if (organizationId && !ORG_ID.test(organizationId)) {
    problems.push(`engine.athena.organizationId: expected an organization id, found ${organizationId}`);
  }
  const badAccounts = scope.accounts.filter((a) => !ACCOUNT.test(a));
  if (badAccounts.length > 0)
    problems.push(`accounts: expected 12-digit ids, found ${badAccounts.join(', ')}`);
  const badRegions = scope.regions.filter((r) => !REGION.test(r));
  if (badRegions.length > 0) problems.push(`regions: expected region names, found ${badRegions.join(', ')}`);
  if (scope.accounts.length === 0) problems.push('accounts: expected at least one account, found none');
  if (problems.length > 0) throw new ConfigError('the Athena tables cannot be defined', problems);
  const prefix =
    settings.prefix === '' || settings.prefix.endsWith('/') ? settings.prefix : `${settings.prefix}/`;
  const base = `s3://${settings.bucket}/${prefix}AWSLogs/`;
  const accounts = sortedUnique(scope.accounts);
  const regions = sortedUnique(scope.regions);
  return settings.layouts.map((layout) => ({
    layout,
    database: settings.database,
    table: layout === 'organization' ? settings.table : settings.accountTable,
    root: layout === 'organization' ? `${base}${organizationId}/` : base,
    accounts,
    regions,
  }));
}

/** The storage.location.template of a table: where Athena finds one account's region's day. */
export function locationTemplate(spec: Pick<TableSpec, 'root'>): string {
  return `${spec.root}\${account}/CloudTrail/\${region}/\${day}`;
}

/** The table properties projection reads, as setup writes them and the daily run syncs them. */
export function projectionProperties(spec: TableSpec): Record<string, string> {
  return {
    [PROJECTION_KEYS.accounts]: spec.accounts.join(','),
    [PROJECTION_KEYS.regions]: spec.regions.join(','),
    [PROJECTION_KEYS.template]: locationTemplate(spec),
  };
}

let template: Promise<string> | undefined;

/** CREATE EXTERNAL TABLE IF NOT EXISTS for one table, from queries/cloudtrail-table.sql. */
export async function createTableDdl(spec: TableSpec): Promise<string> {
  template ??= readFile(join(PROJECT_ROOT, 'queries', 'cloudtrail-table.sql'), 'utf8');
  const values: Record<string, string> = {
    database: spec.database,
    table: spec.table,
    location: spec.root,
    accounts: spec.accounts.join(','),
    regions: spec.regions.join(','),
    template: locationTemplate(spec),
    layout: spec.layout,
  };
  // Every value was validated above or by the config schema (no quote or backtick can occur); the
  // template's own comments do not go to Athena.
  return (await template)
    .split('\n')
    .filter((line) => !line.startsWith('--'))
    .join('\n')
    .replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined) throw new Error(`cloudtrail-table.sql names an unknown value {{${key}}}`);
      return value;
    })
    .trim()
    .replace(/;$/, '');
}

/** CREATE DATABASE IF NOT EXISTS (Hive DDL: backticks). */
export function createDatabaseDdl(database: string): string {
  return `CREATE DATABASE IF NOT EXISTS \`${database}\``;
}

/** The accounts and regions a table's parameters project (empty lists when projection is off or absent). */
export function projectedValues(parameters: Record<string, string> | undefined): {
  accounts: string[];
  regions: string[];
  enabled: boolean;
} {
  const list = (key: string) =>
    sortedUnique(
      (parameters?.[key] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    );
  return {
    enabled: parameters?.['projection.enabled']?.toLowerCase() === 'true',
    accounts: list(PROJECTION_KEYS.accounts),
    regions: list(PROJECTION_KEYS.regions),
  };
}
