// Creates the CloudTrail tables in a fake AWS the way `trailwatch athena setup` does (its own code, over
// HTTP), so engine tests query tables whose partition projection the fake Athena enforces.
import { createClientFactory } from '../../../src/aws/clients.js';
import { regionsOfPartition } from '../../../src/aws/regions.js';
import { parseConfig } from '../../../src/config/load.js';
import { createAthenaRunner } from '../../../src/engine/athena.js';
import { setupAthenaTables, type TableProjectionFacts } from '../../../src/engine/athena-sync.js';
import { tableSpecs } from '../../../src/engine/athena-table.js';
import { silentLogger } from '../../../src/shared/log.js';
import type { FakeAws } from '../../../tools/fake-aws/index.js';
import { fakeDeps } from './deps.js';

/** What the tables project; regions default to every region of the aws partition. */
export interface FakeTablesOptions {
  bucket: string;
  organizationId: string;
  accounts: string[];
  regions?: string[];
}

/** Runs athena setup's statements and sync against `fake`. */
export async function createFakeTables(
  fake: FakeAws,
  options: FakeTablesOptions,
): Promise<TableProjectionFacts[]> {
  const config = parseConfig({
    engine: { athena: { bucket: options.bucket, organizationId: options.organizationId, pollSeconds: 0.01 } },
  });
  const specs = tableSpecs(config.engine.athena, {
    organizationId: options.organizationId,
    accounts: options.accounts,
    regions: options.regions ?? regionsOfPartition('aws'),
  });
  const clients = createClientFactory(parseConfig({ aws: {} }).aws!, fakeDeps(fake));
  const athena = clients.athena();
  const glue = clients.glue();
  try {
    const runner = createAthenaRunner({ config: config.engine.athena, client: athena, log: silentLogger });
    return await setupAthenaTables(specs, config.engine.athena.stagingDatabase, {
      runner,
      glue,
      log: silentLogger,
    });
  } finally {
    athena.destroy();
    glue.destroy();
  }
}
