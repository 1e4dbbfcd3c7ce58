// The Athena bench: the whole catalogue through the Athena engine, against the fake Athena serving the
// benchmark day's files as the trail bucket (tables made by `athena setup`'s own code, over HTTP). Reports the
// queries that read the raw CloudTrail table (the expensive scan: the goal is one), the bytes every query
// scanned as Athena reported them (GetQueryExecution's DataScannedInBytes: the raw files' compressed bytes for
// the staging read, the named columns' Parquet bytes for each rule over the staged table) against the bytes of
// the window's log files, and the cost at Athena's price.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { createClientFactory } from '../src/aws/clients.js';
import { regionsOfPartition } from '../src/aws/regions.js';
import { parseConfig } from '../src/config/load.js';
import { detect } from '../src/rules/query.js';
import { createAthenaRunner, openAthenaEngine } from '../src/engine/athena.js';
import { setupAthenaTables } from '../src/engine/athena-sync.js';
import { tableSpecs } from '../src/engine/athena-table.js';
import { findLogFiles, mayHoldWindow } from '../src/engine/log-files.js';
import { loadRules } from '../src/rules/load.js';
import { ACCOUNTS, ORG_ID } from '../src/samples/org.js';
import { silentLogger } from '../src/shared/log.js';
import { dayWindow } from '../src/shared/window.js';
import { FAKE_RUNNER_CREDENTIALS, generateOrg, startFakeAws } from '../tools/fake-aws/index.js';

/** Athena's list price in us-east-1, per byte scanned ($5 per TB), with its 10 MB minimum per query. */
export const ATHENA_USD_PER_TB = 5;
const MIN_BILLED_BYTES = 10 * 1024 * 1024;
const BUCKET = 'tw-bench-trail';

/** Runs the catalogue through the Athena engine over the bench day in `root` (the folder holding AWSLogs/). */
export async function benchAthena(root: string, date: string): Promise<Record<string, number | string>> {
  const fake = await startFakeAws(generateOrg(3), {
    athena: { buckets: { [BUCKET]: root }, pollsToFinish: 1 },
  });
  const config = parseConfig({
    approvedRegions: ['us-east-1', 'eu-west-1', 'us-west-2'],
    approvedImages: ['ami-0a1b2c3d4e5f67890'],
    engine: {
      type: 'athena',
      athena: {
        bucket: BUCKET,
        organizationId: ORG_ID,
        pollSeconds: 0.05,
        queryTimeoutSeconds: 1800,
        outputLocation: 's3://tw-bench-results/athena/',
      },
    },
    aws: {},
    report: { pdf: false },
  });
  const clients = createClientFactory(config.aws!, {
    endpoint: fake.endpoint,
    credentials: FAKE_RUNNER_CREDENTIALS,
    retryStrategy: new ConfiguredRetryStrategy(4, () => 10),
  });
  const athena = clients.athena();
  const glue = clients.glue();
  try {
    const specs = tableSpecs(config.engine.athena, {
      organizationId: ORG_ID,
      accounts: ACCOUNTS.map((a) => a.id),
      regions: regionsOfPartition('aws'),
    });
    const runner = createAthenaRunner({ config: config.engine.athena, client: athena, log: silentLogger });
    await setupAthenaTables(specs, config.engine.athena.stagingDatabase, { runner, glue, log: silentLogger });

    const window = dayWindow(date);
    // The log files under AWSLogs/ (not the bench's own marker file beside them) that the window's days hold.
    const windowBytes = (await findLogFiles(join(root, 'AWSLogs'))).files
      .filter((f) => mayHoldWindow(f.path, window))
      .reduce((sum, f) => sum + f.bytes, 0);
    const rules = await loadRules();
    const before = fake.athena!.queries.length;
    const started = performance.now();
    const engine = openAthenaEngine({
      config: config.engine.athena,
      client: clients.athena(),
      log: silentLogger,
    });
    let result;
    try {
      result = await detect(engine, rules, config, window, silentLogger);
    } finally {
      await engine.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const queries = fake.athena!.queries.slice(before);
    // What the run itself recorded from Athena's answers, as the evidence's "Data scanned" sums it.
    const perQuery = [result.stage?.bytesRead ?? 0, ...result.runs.map((r) => r.bytesScanned ?? 0)];
    const scanned = perQuery.reduce((a, b) => a + b, 0);
    const billed = perQuery.reduce((sum, b) => sum + Math.max(b, MIN_BILLED_BYTES), 0);
    return {
      seconds: Number(seconds.toFixed(2)),
      events: result.stage?.events ?? 0,
      rules: result.runs.filter((r) => r.status === 'ran').length,
      rulesFailed: result.runs.filter((r) => r.status !== 'ran').length,
      findings: result.findings.length,
      queries: queries.length,
      rawQueries: queries.filter((q) => q.readsRaw).length,
      windowBytes,
      stagingBytes: result.stage?.bytesRead ?? 0,
      ruleBytes: scanned - (result.stage?.bytesRead ?? 0),
      scannedBytes: scanned,
      scannedRatio: Number((scanned / windowBytes).toFixed(3)),
      costUsd: Number(((scanned * ATHENA_USD_PER_TB) / 1e12).toFixed(6)),
      billedCostUsd: Number(((billed * ATHENA_USD_PER_TB) / 1e12).toFixed(6)),
    };
  } finally {
    athena.destroy();
    glue.destroy();
    await fake.close();
  }
}

// Run as a child: node dist-tools/bench/athena.js <root> <date> prints one JSON line.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [root, date] = process.argv.slice(2) as [string, string];
  process.stdout.write(`${JSON.stringify(await benchAthena(root, date))}\n`);
}
