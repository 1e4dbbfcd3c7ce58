// The run's query engine, as the config names it: the embedded DuckDB over a folder of CloudTrail files, or
// Athena over the organization trail's tables, whose projection is first brought in step with the
// organization the coverage audit found (what is still not projected is a coverage problem).
import type { ClientFactory } from '../aws/clients.js';
import type { Config } from '../config/schema.js';
import type { AthenaTableFacts } from '../model.js';
import type { RunErrorEntry } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { OrgSnapshot } from '../trails/snapshot.js';
import { openAthenaEngine } from './athena.js';
import { keepTablesInStep, projectionProblems } from './athena-sync.js';
import { openDuckDbEngine } from './duckdb.js';
import type { QueryEngine } from './types.js';

/** Where the run's logs are and what the engine must not read. */
export interface EngineInput {
  config: Config;
  /** The folder of CloudTrail files DuckDB reads (unused on Athena). */
  logs: string;
  /** Folders below `logs` that hold this tool's own output (the bundle's working folder and --out). */
  exclude: readonly string[];
  /** The organization the Athena tables must project (from the coverage audit), when there is one. */
  snapshot?: OrgSnapshot;
}

/** The opened engine, what it reads (for the evidence), and on Athena the tables' projection facts. */
export interface OpenedEngine {
  engine: QueryEngine;
  source: string;
  athenaTables?: AthenaTableFacts[];
  /** Accounts or regions Athena's tables still do not project: the run is incomplete. */
  errors: RunErrorEntry[];
}

/** Reads (and, with engine.athena.syncTable, updates) the Athena tables' projection against the organization. */
async function syncAthenaTables(
  config: Config,
  snapshot: OrgSnapshot,
  clients: ClientFactory,
  log: Logger,
): Promise<AthenaTableFacts[]> {
  const settings = config.engine.athena;
  const wanted = {
    accounts: snapshot.accounts.map((a) => a.id),
    // Every region some account has enabled: a region enabled anywhere can hold that account's activity.
    regions: snapshot.accounts.flatMap((a) =>
      a.regions.filter((r) => r.optInStatus !== 'not-opted-in').map((r) => r.name),
    ),
  };
  const glue = clients.glue(settings.region);
  try {
    return await keepTablesInStep(settings, wanted, glue, log);
  } finally {
    glue.destroy();
  }
}

/** Opens the engine the config names (the caller closes it). */
export async function openEngine(
  input: EngineInput,
  deps: { log: Logger; clients: ClientFactory },
): Promise<OpenedEngine> {
  const { config } = input;
  const { log } = deps;
  if (config.engine.type === 'athena') {
    const athena = config.engine.athena;
    // Athena reads only the accounts and regions its tables project: bring them in step before querying.
    const athenaTables = input.snapshot
      ? await syncAthenaTables(config, input.snapshot, deps.clients, log)
      : undefined;
    return {
      engine: openAthenaEngine({ config: athena, client: deps.clients.athena(athena.region), log }),
      source: `Athena ${athena.database}.${athena.table} (workgroup ${athena.workgroup})`,
      ...(athenaTables ? { athenaTables } : {}),
      errors: athenaTables ? projectionProblems(athenaTables) : [],
    };
  }
  const duckdb = config.engine.duckdb;
  const engine = await openDuckDbEngine({
    logs: input.logs,
    log,
    // An output folder inside the logs folder holds this tool's own JSON, not CloudTrail.
    exclude: input.exclude,
    ...(duckdb.threads ? { threads: duckdb.threads } : {}),
    ...(duckdb.memoryLimit ? { memoryLimit: duckdb.memoryLimit } : {}),
    ...(duckdb.tempDirectory ? { tempDirectory: duckdb.tempDirectory } : {}),
  });
  return { engine, source: input.logs, errors: [] };
}
