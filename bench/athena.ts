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
import { athenaCostOf, detect } from '../src/rules/query.js';
import { createAthenaRunner, openAthenaEngine } from '../src/engine/athena.js';
import { setupAthenaTables } from '../src/engine/athena-sync.js';
import { tableSpecs } from '../src/engine/athena-table.js';
import { findLogFiles, mayHoldWindow } from '../src/engine/log-files.js';
import { loadRules } from '../src/rules/load.js';
import { ACCOUNTS, ORG_ID } from '../src/samples/org.js';
import { silentLogger } from '../src/shared/log.js';
import { dayWindow } from '../src/shared/window.js';
import { FAKE_RUNNER_CREDENTIALS, generateOrg, startFakeAws } from '../tools/fake-aws/index.js';

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
    // What the run itself recorded from Athena's answers, billed as findings.json and the evidence bill it,
    // at the configured price (engine.athena.usdPerTerabyte, default Athena's us-east-1 list price).
    const cost = athenaCostOf(result, config.engine.athena.usdPerTerabyte);
    // The goal is about the expensive scan: the queries over the raw CloudTrail table, as Athena reported them.
    const rawBytes = queries.filter((q) => q.readsRaw).reduce((sum, q) => sum + q.bytes, 0);
    return {
      seconds: Number(seconds.toFixed(2)),
      events: result.stage?.events ?? 0,
      rules: result.runs.filter((r) => r.status === 'ran').length,
      rulesFailed: result.runs.filter((r) => r.status !== 'ran').length,
      findings: result.findings.length,
      queries: queries.length,
      rawQueries: queries.filter((q) => q.readsRaw).length,
      windowBytes,
      rawBytes,
      rawRatio: Number((rawBytes / windowBytes).toFixed(3)),
      stagingBytes: result.stage?.bytesRead ?? 0,
      ruleBytes: cost.scannedBytes - (result.stage?.bytesRead ?? 0),
      scannedBytes: cost.scannedBytes,
      scannedRatio: Number((cost.scannedBytes / windowBytes).toFixed(3)),
      billedBytes: cost.billedBytes,
      usdPerTerabyte: cost.usdPerTerabyte,
      costUsd: Number(cost.usd.toFixed(6)),
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
