// `trailwatch athena setup` and `trailwatch athena check`: the Athena CloudTrail tables whose partition
// projection lists every account of the organization and every region of the partition.
import type { Command } from 'commander';
import {
  awsSection,
  clientsFor,
  homeRegion,
  resolveAwsRegion,
  type AwsDeps,
  type ClientFactory,
} from '../aws/clients.js';
import { partitionOf, regionsOfPartition } from '../aws/regions.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { discoverAccounts } from '../discover/accounts.js';
import { createAthenaRunner } from '../engine/athena.js';
import { keepTablesInStep, setupAthenaTables, setupStatements } from '../engine/athena-sync.js';
import { sortedUnique, tableSpecs, type TableScope } from '../engine/athena-table.js';
import { GetWorkGroupCommand } from '@aws-sdk/client-athena';
import { errorMessage, InputError } from '../shared/errors.js';
import { safeForTerminal } from '../shared/escape.js';
import { createLogger, type Logger } from '../shared/log.js';
import { loadOrgSnapshot } from '../trails/index.js';
import type { SetExit } from './exit-code.js';
import { EXIT_CODES } from './exit-codes.js';

/** Options of `athena setup`. */
export interface AthenaSetupOptions {
  config?: string;
  orgSnapshot?: string;
  dryRun?: boolean;
}

/** What the CLI commands take from outside (tests point AWS at the fake endpoint). */
export interface AthenaIo {
  log?: Logger;
  deps?: AwsDeps;
  print?: (line: string) => void;
}

/** The region the Athena tables live in: engine.athena.region, else aws.region. */
export function athenaRegion(config: Config): string {
  return config.engine.athena.region ?? homeRegion(awsSection(config));
}

/**
 * The config for the athena commands, its home region settled as a run settles it: aws.region, else
 * AWS_REGION or the AWS_PROFILE profile's region, else us-east-1 — even without an `aws` section.
 */
export async function loadAthenaConfig(file?: string): Promise<Config> {
  const { config } = await loadConfig(file);
  return resolveAwsRegion({ ...config, aws: awsSection(config) });
}

/**
 * The accounts (from a saved org snapshot, or discovered through Organizations) and regions the tables
 * must project: every region of the partition, plus any region an account has enabled that the SDK's list
 * does not know yet.
 */
export async function organizationScope(
  config: Config,
  options: { orgSnapshot?: string; clients: ClientFactory; log: Logger },
): Promise<TableScope> {
  const regions = regionsOfPartition(partitionOf(athenaRegion(config)));
  if (options.orgSnapshot) {
    const snapshot = await loadOrgSnapshot(options.orgSnapshot);
    const enabled = snapshot.accounts.flatMap((a) =>
      a.regions.filter((r) => r.optInStatus !== 'not-opted-in').map((r) => r.name),
    );
    return {
      organizationId: snapshot.organizationId,
      accounts: snapshot.accounts.map((a) => a.id),
      regions: sortedUnique([...regions, ...enabled]),
    };
  }
  const discovery = await discoverAccounts(config, options.clients, options.log);
  if (discovery.accounts.length === 0) {
    const why = discovery.errors.map((e) => e.message).join('; ');
    throw new InputError(
      `no account was discovered, so no table can cover the organization${why ? `: ${why}` : ''}`,
    );
  }
  return {
    organizationId: discovery.organizationId,
    accounts: discovery.accounts.map((a) => a.id),
    regions,
  };
}

/** Runs `athena setup` and returns its exit code. */
export async function runAthenaSetup(options: AthenaSetupOptions, io: AthenaIo = {}): Promise<number> {
  const log = io.log ?? createLogger();
  const print = io.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const config = await loadAthenaConfig(options.config);
  const settings = config.engine.athena;
  // The command's one client factory: discovery, Athena and Glue share the hub-role chain.
  const clients = clientsFor(config, io.deps);
  const scope = await organizationScope(config, {
    ...(options.orgSnapshot ? { orgSnapshot: options.orgSnapshot } : {}),
    clients,
    log,
  });
  const specs = tableSpecs(settings, scope);
  if (options.dryRun) {
    print(
      `-- trailwatch athena setup --dry-run: ${scope.accounts.length} accounts, ${scope.regions.length} regions; nothing was run`,
    );
    for (const statement of await setupStatements(specs, settings.stagingDatabase)) {
      if (statement.note) print(`-- ${statement.note}`);
      print(`${statement.sql};`);
      print('');
    }
    return EXIT_CODES.ok;
  }
  const region = athenaRegion(config);
  const athena = clients.athena(region);
  const glue = clients.glue(region);
  try {
    const runner = createAthenaRunner({ config: settings, client: athena, log });
    const tables = await setupAthenaTables(specs, settings.stagingDatabase, { runner, glue, log });
    let failed = false;
    for (const t of tables) {
      const added = t.addedAccounts.length + t.addedRegions.length;
      print(
        `${safeForTerminal(`${t.database}.${t.table}`)} (${t.layout} layout): ${t.accounts.length} accounts, ${t.regions.length} regions` +
          (added > 0
            ? `; added ${t.addedAccounts.length} accounts and ${t.addedRegions.length} regions`
            : ''),
      );
      if (t.problem) {
        failed = true;
        print(`  problem: ${safeForTerminal(t.problem, 500)}`);
      }
    }
    return failed ? EXIT_CODES.incomplete : EXIT_CODES.ok;
  } finally {
    athena.destroy();
    glue.destroy();
  }
}

/** One check of `athena check`: what was checked, whether it passed, and what to do when not. */
export interface AthenaCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/** What to do about a failed Athena query, from its reason. */
export function adviceFor(reason: string): string {
  if (/kms|key/i.test(reason) && /denied|not authorized|AccessDenied/i.test(reason)) {
    return 'the trail bucket is encrypted with a KMS key the runner may not use: allow kms:Decrypt on that key to the runner (or hub) role, in the key policy too';
  }
  if (/Access Denied|AccessDenied|403/i.test(reason)) {
    return 'the runner (or hub) role may not read the trail bucket: allow s3:GetObject and s3:ListBucket on it (and check the bucket policy)';
  }
  if (/TABLE_NOT_FOUND|does not exist|not found/i.test(reason)) return 'run `trailwatch athena setup`';
  if (/output location/i.test(reason)) {
    return 'give the workgroup a query result location, or set engine.athena.outputLocation';
  }
  if (/WorkGroup .* is not found/i.test(reason))
    return 'create the workgroup, or set engine.athena.workgroup to one that exists';
  return 'read the reason above; `trailwatch athena setup` recreates the tables';
}

/** Runs `athena check` and returns its exit code (2 when a check failed). */
export async function runAthenaCheck(options: { config?: string }, io: AthenaIo = {}): Promise<number> {
  const log = io.log ?? createLogger();
  const print = io.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const config = await loadAthenaConfig(options.config);
  const settings = config.engine.athena;
  const region = athenaRegion(config);
  const clients = clientsFor(config, io.deps);
  const athena = clients.athena(region);
  const glue = clients.glue(region);
  const checks: AthenaCheck[] = [];
  try {
    // The workgroup, and where its results go.
    let outputLocation = settings.outputLocation;
    try {
      const { WorkGroup } = await athena.send(new GetWorkGroupCommand({ WorkGroup: settings.workgroup }));
      outputLocation ??= WorkGroup?.Configuration?.ResultConfiguration?.OutputLocation;
      checks.push({
        name: `workgroup ${settings.workgroup}`,
        ok: true,
        detail: `exists (${WorkGroup?.State ?? 'state unknown'})`,
      });
    } catch (error) {
      const reason = errorMessage(error);
      checks.push({
        name: `workgroup ${settings.workgroup}`,
        ok: false,
        detail: reason,
        fix: /not found/i.test(reason)
          ? 'create the workgroup, or set engine.athena.workgroup to one that exists'
          : 'allow athena:GetWorkGroup to the runner (or hub) role',
      });
    }
    checks.push(
      outputLocation
        ? { name: 'query result location', ok: true, detail: outputLocation }
        : {
            name: 'query result location',
            ok: false,
            detail: 'neither the workgroup nor engine.athena.outputLocation names one',
            fix: 'give the workgroup a query result location, or set engine.athena.outputLocation',
          },
    );
    // The tables, and whether their projection covers the organization.
    const scope = await organizationScope(config, { clients, log });
    const tables = await keepTablesInStep({ ...settings, syncTable: false }, scope, glue, log);
    for (const t of tables) {
      const name = `table ${t.database}.${t.table}`;
      if (!t.found) {
        checks.push({
          name,
          ok: false,
          detail: t.problem ?? 'missing',
          fix: /EntityNotFound|not found/i.test(t.problem ?? '')
            ? 'run `trailwatch athena setup`'
            : 'allow glue:GetTable to the runner (or hub) role',
        });
        continue;
      }
      const missing = t.missingAccounts.length + t.missingRegions.length;
      checks.push(
        missing === 0 && !t.problem
          ? {
              name,
              ok: true,
              detail: `projects all ${scope.accounts.length} accounts and ${t.regions.length} regions`,
            }
          : {
              name,
              ok: false,
              detail: `stale projection: ${[t.missingAccounts.length > 0 ? `accounts ${t.missingAccounts.join(', ')}` : '', t.missingRegions.length > 0 ? `regions ${t.missingRegions.join(', ')}` : '', t.problem ?? ''].filter(Boolean).join('; ')} not read`,
              fix: 'run `trailwatch athena setup` (or leave engine.athena.syncTable on: the daily run adds them)',
            },
      );
    }
    // A one-row read of yesterday through each table: the location is readable (bucket, KMS key).
    const runner = createAthenaRunner({ config: settings, client: athena, log });
    const day = yesterdayPartition();
    for (const t of tables.filter((x) => x.found)) {
      const name = `read ${t.database}.${t.table} for ${day}`;
      try {
        const { queryId } = await runner.execute(
          `SELECT eventtime FROM "${t.database}"."${t.table}" WHERE day = '${day}' LIMIT 1`,
          [],
          t.database,
        );
        let rows = 0;
        for await (const _ of runner.results(queryId)) rows += 1;
        checks.push({
          name,
          ok: true,
          detail:
            rows > 0 ? 'read one event' : 'no event for that day in this layout (fine if no trail writes it)',
        });
      } catch (error) {
        const reason = errorMessage(error);
        checks.push({ name, ok: false, detail: reason, fix: adviceFor(reason) });
      }
    }
  } finally {
    athena.destroy();
    glue.destroy();
  }
  for (const c of checks) {
    print(`${c.ok ? 'ok  ' : 'FAIL'} ${safeForTerminal(c.name)}: ${safeForTerminal(c.detail, 600)}`);
    if (!c.ok && c.fix) print(`     what to do: ${safeForTerminal(c.fix, 600)}`);
  }
  const failed = checks.filter((c) => !c.ok).length;
  print(failed === 0 ? 'Athena is ready.' : `${failed} check(s) failed.`);
  return failed === 0 ? EXIT_CODES.ok : EXIT_CODES.incomplete;
}

/** Yesterday (UTC) as a `day` partition value. */
function yesterdayPartition(now = new Date()): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10).replace(/-/g, '/');
}

/** Registers `trailwatch athena setup|check`. */
export function registerAthena(program: Command, setExit: SetExit): void {
  const athena = program
    .command('athena')
    .description('The Athena CloudTrail tables: create them, check them');
  athena
    .command('setup')
    .description(
      'Create the database and the CloudTrail tables (organization and per-account layouts) projecting every account and region',
    )
    .option('--config <file>', 'configuration file (default: trailwatch.config.yaml when present)')
    .option('--org-snapshot <file>', 'take the accounts from a saved org snapshot instead of Organizations')
    .option('--dry-run', 'print the DDL it would run and change nothing')
    .action(async (options: AthenaSetupOptions) => {
      setExit(await runAthenaSetup(options));
    });
  athena
    .command('check')
    .description(
      'Check the workgroup, its result location, the tables, their projection against the organization, and a read of yesterday',
    )
    .option('--config <file>', 'configuration file (default: trailwatch.config.yaml when present)')
    .action(async (options: { config?: string }) => {
      setExit(await runAthenaCheck(options));
    });
}
