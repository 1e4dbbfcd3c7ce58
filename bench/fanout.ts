// The fan-out bench: the collector against the fake AWS with N accounts (5,000 in npm run bench) × 17 enabled
// regions, 50 ms latency per call and 1 % of calls throttled once, at the default concurrency and the SDK's
// default (adaptive) retry. Reports wall time, accounts reported, calls per account (without and with the
// retries of throttled calls) and peak memory.
// Measured on the build machine (Node 20, fake in the same process, November 2026): 19.9 s wall (22.2 s on a
// busier run), 6 calls per account (AssumeRole, DescribeRegions, ListTrails, DescribeTrails, GetTrailStatus,
// GetEventSelectors), 1 AssumeRole per account, peak RSS 254-261 MB. The run is CPU-bound on SDK client
// creation and signing (about 10 ms per account with no latency at all), not on the 50 ms round trips.
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/shared/log.js';
import {
  FAKE_RUNNER_CREDENTIALS,
  OPT_IN_REGIONS,
  generateOrg,
  startFakeAws,
} from '../tools/fake-aws/index.js';
import { collectOrgSnapshot } from '../src/trails/collect.js';

/** Runs the fan-out bench and returns its figures. */
export async function benchFanOut(
  options: { accounts?: number; latencyMs?: number; throttleEvery?: number } = {},
): Promise<Record<string, number | string>> {
  const accounts = options.accounts ?? 1000;
  const latencyMs = options.latencyMs ?? 50;
  const org = generateOrg(accounts);
  // Every account opted into every opt-in region: 13 default + 4 = 17 enabled regions each.
  for (const account of org.accounts) account.optedInRegions = [...OPT_IN_REGIONS];
  const throttleEvery = options.throttleEvery ?? 100;
  const fake = await startFakeAws(org, { latencyMs, ...(throttleEvery > 0 ? { throttleEvery } : {}) });
  const config = parseConfig({});
  // memoryUsage.rss() is the cheap probe; the full memoryUsage() walks the heap and skews the timing.
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  const started = performance.now();
  try {
    const snapshot = await collectOrgSnapshot(
      config,
      { endpoint: fake.endpoint, credentials: FAKE_RUNNER_CREDENTIALS },
      silentLogger,
    );
    const wallSeconds = (performance.now() - started) / 1000;
    const discoveryCalls =
      (fake.stats.byOperation.get('ListAccounts') ?? 0) +
      (fake.stats.byOperation.get('DescribeOrganization') ?? 0);
    // Discovery is made from the management account's side; count it apart from the per-account audit.
    const management = org.managementAccountId;
    // A throttled call and its retry are two calls: the retries are counted apart.
    const perAccount = [...fake.stats.byAccount.entries()].map(
      ([id, calls]) =>
        (id === management ? calls - discoveryCalls : calls) - (fake.stats.throttledByAccount.get(id) ?? 0),
    );
    const regions = snapshot.accounts[0]?.regions.filter((r) => r.optInStatus !== 'not-opted-in').length ?? 0;
    return {
      name: 'coverage fan-out',
      accounts,
      regionsPerAccount: regions,
      latencyMsPerCall: latencyMs,
      concurrencyGlobal: config.aws?.concurrency.global ?? 32,
      concurrencyPerAccount: config.aws?.concurrency.perAccount ?? 8,
      wallSeconds: Number(wallSeconds.toFixed(2)),
      accountsReported: snapshot.accounts.length,
      accountsAudited: snapshot.accounts.filter((a) => a.status === 'audited').length,
      throttledCalls: fake.stats.throttled,
      throttledEvery: throttleEvery,
      callsTotal: fake.stats.calls,
      discoveryCalls,
      callsPerAccountMean: Number(
        ((fake.stats.calls - discoveryCalls - fake.stats.throttled) / accounts).toFixed(2),
      ),
      callsPerAccountMax: Math.max(0, ...perAccount),
      retriesPerAccountMax: Math.max(0, ...fake.stats.throttledByAccount.values()),
      assumeRolePerAccount: Number(((fake.stats.byOperation.get('AssumeRole') ?? 0) / accounts).toFixed(2)),
      trailsPerAccount: Number(
        (snapshot.accounts.reduce((n, a) => n + a.trails.length, 0) / accounts).toFixed(2),
      ),
      // The fake endpoint runs in the same process, so this includes its share of CPU and memory.
      peakRssMb: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1_048_576),
    };
  } finally {
    clearInterval(sampler);
    await fake.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // node dist-tools/bench/fanout.js [accounts] prints one JSON line.
  const accounts = Number(process.argv[2] ?? 1000);
  process.stdout.write(`${JSON.stringify(await benchFanOut({ accounts }))}\n`);
}
