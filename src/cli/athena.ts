// `trailwatch athena setup` and `trailwatch athena check`: the Athena CloudTrail tables whose partition
// projection lists every account of the organization and every region of the partition.
import type { Command } from 'commander';
import { awsSection, createClientFactory, homeRegion, type AwsDeps } from '../aws/clients.js';
import { partitionOf, regionsOfPartition } from '../aws/regions.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { discoverAccounts } from '../discover/accounts.js';
import { createAthenaRunner } from '../engine/athena.js';
import { setupAthenaTables, setupStatements } from '../engine/athena-sync.js';
import { sortedUnique, tableSpecs, type TableScope } from '../engine/athena-table.js';
import { InputError } from '../shared/errors.js';
import { safeForTerminal } from '../shared/escape.js';
import { createLogger, type Logger } from '../shared/log.js';
import { loadOrgSnapshot } from '../trails/index.js';
import type { SetExit } from './commands.js';
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
function athenaRegion(config: Config): string {
  return config.engine.athena.region ?? homeRegion(awsSection(config));
}

/**
 * The accounts (from a saved org snapshot, or discovered through Organizations) and regions the tables
 * must project: every region of the partition, plus any region an account has enabled that the SDK's list
 * does not know yet.
 */
export async function organizationScope(
  config: Config,
  options: { orgSnapshot?: string; deps?: AwsDeps; log: Logger },
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
  const discovery = await discoverAccounts(config, options.deps ?? {}, options.log);
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
  const { config } = await loadConfig(options.config);
  const settings = config.engine.athena;
  const scope = await organizationScope(config, {
    ...(options.orgSnapshot ? { orgSnapshot: options.orgSnapshot } : {}),
    ...(io.deps ? { deps: io.deps } : {}),
    log,
  });
  const specs = tableSpecs(settings, scope);
  if (options.dryRun) {
    print(
      `-- trailwatch athena setup --dry-run: ${scope.accounts.length} accounts, ${scope.regions.length} regions; nothing was run`,
    );
    for (const statement of await setupStatements(specs, settings.stagingDatabase)) {
      print(`${statement.sql};`);
      print('');
    }
    return EXIT_CODES.ok;
  }
  const clients = createClientFactory(awsSection(config), io.deps);
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
}
