// Keeping the Athena CloudTrail tables in step with the organization: read a table's projection (Glue
// GetTable), compare it with the accounts and regions that must be read, add what is missing (Glue
// UpdateTable), and say what still is not covered. Also `athena setup`'s DDL run.
import {
  GetTableCommand,
  UpdateTableCommand,
  type GlueClient,
  type Table,
  type TableInput,
} from '@aws-sdk/client-glue';
import type { Config } from '../config/schema.js';
import type { AthenaTableFacts } from '../model.js';
import { errorMessage, type RunErrorEntry } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { AthenaRunner } from './athena.js';
import { ATHENA_LIMITS } from './athena-sql.js';
import {
  createDatabaseDdl,
  createTableDdl,
  PROJECTION_KEYS,
  projectedValues,
  sortedUnique,
  type TableLayout,
  type TableSpec,
} from './athena-table.js';

/** What one table projects, compared with what the organization has, after any sync. */
export type TableProjectionFacts = AthenaTableFacts;

/** What must be read: every discovered account, every region some account has enabled. */
export interface ProjectionWanted {
  accounts: string[];
  regions: string[];
}

// Everything a TableInput may carry over from the stored Table: UpdateTable replaces the whole definition.
function tableInput(table: Table, parameters: Record<string, string>): TableInput {
  return {
    Name: table.Name,
    ...(table.Description !== undefined ? { Description: table.Description } : {}),
    ...(table.Owner !== undefined ? { Owner: table.Owner } : {}),
    ...(table.Retention !== undefined ? { Retention: table.Retention } : {}),
    ...(table.StorageDescriptor ? { StorageDescriptor: table.StorageDescriptor } : {}),
    ...(table.PartitionKeys ? { PartitionKeys: table.PartitionKeys } : {}),
    ...(table.TableType ? { TableType: table.TableType } : {}),
    ...(table.ViewOriginalText !== undefined ? { ViewOriginalText: table.ViewOriginalText } : {}),
    ...(table.ViewExpandedText !== undefined ? { ViewExpandedText: table.ViewExpandedText } : {}),
    ...(table.TargetTable ? { TargetTable: table.TargetTable } : {}),
    Parameters: parameters,
  };
}

/**
 * Reads one table's projection and, when `update` is set, adds the missing accounts and regions (never
 * removes any: a closed account's old logs stay readable). Never throws: a failure is in `problem`.
 */
export async function syncTableProjection(
  glue: GlueClient,
  target: { database: string; table: string; layout: TableLayout },
  wanted: ProjectionWanted,
  update: boolean,
  log: Logger,
): Promise<TableProjectionFacts> {
  const facts: TableProjectionFacts = {
    ...target,
    found: false,
    accounts: [],
    regions: [],
    missingAccounts: sortedUnique(wanted.accounts),
    missingRegions: sortedUnique(wanted.regions),
    addedAccounts: [],
    addedRegions: [],
    matchedBefore: false,
  };
  let table: Table | undefined;
  try {
    table = (await glue.send(new GetTableCommand({ DatabaseName: target.database, Name: target.table })))
      .Table;
  } catch (error) {
    facts.problem = `the table ${target.database}.${target.table} could not be read (Glue GetTable): ${errorMessage(error)}`;
    return facts;
  }
  if (!table) {
    facts.problem = `Glue GetTable returned no table for ${target.database}.${target.table}`;
    return facts;
  }
  facts.found = true;
  const projected = projectedValues(table.Parameters);
  const gaps = (have: string[], want: string[]) => sortedUnique(want).filter((v) => !have.includes(v));
  facts.accounts = projected.accounts;
  facts.regions = projected.regions;
  facts.missingAccounts = gaps(projected.accounts, wanted.accounts);
  facts.missingRegions = gaps(projected.regions, wanted.regions);
  if (!projected.enabled) {
    facts.problem = `partition projection is off on ${target.database}.${target.table}: Athena reads none of its partitions`;
  }
  facts.matchedBefore =
    projected.enabled && facts.missingAccounts.length === 0 && facts.missingRegions.length === 0;
  if (facts.matchedBefore || !update || !projected.enabled) return facts;
  const accounts = sortedUnique([...projected.accounts, ...wanted.accounts]);
  const regions = sortedUnique([...projected.regions, ...wanted.regions]);
  const parameters = {
    ...table.Parameters,
    [PROJECTION_KEYS.accounts]: accounts.join(','),
    [PROJECTION_KEYS.regions]: regions.join(','),
  };
  try {
    await glue.send(
      new UpdateTableCommand({
        DatabaseName: target.database,
        TableInput: tableInput(table, parameters),
        ...(table.VersionId ? { VersionId: table.VersionId } : {}),
      }),
    );
  } catch (error) {
    facts.problem = `the projection of ${target.database}.${target.table} could not be updated (Glue UpdateTable): ${errorMessage(error)}`;
    return facts;
  }
  log.info('athena table projection updated', {
    table: `${target.database}.${target.table}`,
    accountsAdded: facts.missingAccounts.length,
    regionsAdded: facts.missingRegions.length,
  });
  facts.addedAccounts = facts.missingAccounts;
  facts.addedRegions = facts.missingRegions;
  facts.accounts = accounts;
  facts.regions = regions;
  facts.missingAccounts = [];
  facts.missingRegions = [];
  return facts;
}

/**
 * The coverage problems of tables that do not cover the organization: one per missing account and per
 * missing region, and one per table that could not be read or updated. Any of them makes the run incomplete.
 */
export function projectionProblems(tables: readonly TableProjectionFacts[]): RunErrorEntry[] {
  const out: RunErrorEntry[] = [];
  for (const t of tables) {
    const name = `${t.database}.${t.table}`;
    if (t.problem) {
      out.push({
        scope: 'engine',
        id: name,
        code: t.found ? 'athena-table-not-synced' : 'athena-table-unreadable',
        message: t.problem,
      });
    }
    if (!t.found) continue;
    for (const account of t.missingAccounts) {
      out.push({
        scope: 'account',
        id: account,
        code: 'athena-table-missing-account',
        message: `the Athena table ${name} does not project account ${account}: Athena reads none of its logs (run \`trailwatch athena setup\`, or turn engine.athena.syncTable on)`,
      });
    }
    for (const region of t.missingRegions) {
      out.push({
        scope: 'region',
        id: region,
        code: 'athena-table-missing-region',
        message: `the Athena table ${name} does not project region ${region}, which an account has enabled: Athena reads none of its logs (run \`trailwatch athena setup\`, or turn engine.athena.syncTable on)`,
      });
    }
  }
  return out;
}

/**
 * Before a run queries: reads every configured table's projection and, when engine.athena.syncTable is on,
 * adds the accounts and regions the organization has that it lacks. Never throws.
 */
export async function keepTablesInStep(
  settings: Config['engine']['athena'],
  wanted: ProjectionWanted,
  glue: GlueClient,
  log: Logger,
): Promise<TableProjectionFacts[]> {
  const out: TableProjectionFacts[] = [];
  for (const layout of settings.layouts) {
    const table = layout === 'organization' ? settings.table : settings.accountTable;
    out.push(
      await syncTableProjection(
        glue,
        { database: settings.database, table, layout },
        wanted,
        settings.syncTable,
        log,
      ),
    );
  }
  return out;
}

/** The statements `athena setup` runs, in order: the two databases, then each table. */
export async function setupStatements(
  specs: readonly TableSpec[],
  stagingDatabase: string,
): Promise<{ sql: string; database: string; note?: string }[]> {
  const databases = sortedUnique([...specs.map((s) => s.database), stagingDatabase]);
  const statements: { sql: string; database: string; note?: string }[] = databases.map((d) => ({
    sql: createDatabaseDdl(d),
    database: 'default',
  }));
  for (const spec of specs) {
    let sql = await createTableDdl(spec);
    const bytes = Buffer.byteLength(sql, 'utf8');
    if (bytes <= ATHENA_LIMITS.queryBytes) {
      statements.push({ sql, database: spec.database });
      continue;
    }
    // Too many accounts for one statement (Athena's query text limit): the table is created with the
    // accounts that fit, and the Glue UpdateTable that follows in setup adds the rest (Glue allows far more).
    const perAccount = 13; // twelve digits and a comma
    const fit = spec.accounts.length - Math.ceil((bytes - ATHENA_LIMITS.queryBytes) / perAccount) - 1;
    sql = await createTableDdl({ ...spec, accounts: spec.accounts.slice(0, Math.max(1, fit)) });
    statements.push({
      sql,
      database: spec.database,
      note: `${spec.accounts.length - Math.max(1, fit)} more accounts do not fit Athena's ${ATHENA_LIMITS.queryBytes}-byte query limit: setup adds them to the projection with Glue UpdateTable right after`,
    });
  }
  return statements;
}

/**
 * Creates what is missing (databases, tables) and brings an existing table's projection up to `specs`:
 * CREATE … IF NOT EXISTS leaves a table that already exists untouched, so its values are synced after.
 */
export async function setupAthenaTables(
  specs: readonly TableSpec[],
  stagingDatabase: string,
  deps: { runner: AthenaRunner; glue: GlueClient; log: Logger },
): Promise<TableProjectionFacts[]> {
  for (const statement of await setupStatements(specs, stagingDatabase)) {
    await deps.runner.execute(statement.sql, [], statement.database);
  }
  const out: TableProjectionFacts[] = [];
  for (const spec of specs) {
    out.push(
      await syncTableProjection(
        deps.glue,
        spec,
        { accounts: spec.accounts, regions: spec.regions },
        true,
        deps.log,
      ),
    );
  }
  return out;
}
