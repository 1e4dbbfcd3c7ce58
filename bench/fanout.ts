// The fan-out bench: the collector against the fake AWS with N accounts (5,000 in npm run bench) × 17 enabled
// regions, 50 ms latency per call and 1 % of calls throttled once, at the default concurrency and the SDK's
// default (adaptive) retry. Reports wall time, accounts reported, calls per account (without and with the
// retries of throttled calls), peak memory and trailwatch's CPU time (per account too: unlike wall time it
// hardly depends on how loaded the machine is).
// The fake AWS answers from a worker thread (bench/fake-worker.ts), so its CPU is not counted as trailwatch's.
// Measured before (1,000 accounts, fake in the same process, November 2026): 19.9 s wall, 6 calls per account
// (AssumeRole, DescribeRegions, ListTrails, DescribeTrails, GetTrailStatus, GetEventSelectors), peak RSS
// 254-261 MB. The run is CPU-bound on SDK client creation and signing, not on the 50 ms round trips.
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { awsSection, clientsFor } from '../src/aws/clients.js';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/shared/log.js';
import { FAKE_RUNNER_CREDENTIALS } from '../tools/fake-aws/index.js';
import { collectOrgSnapshot } from '../src/trails/collect.js';

/** Runs the fan-out bench and returns its figures. */
export async function benchFanOut(
  options: { accounts?: number; latencyMs?: number; throttleEvery?: number } = {},
): Promise<Record<string, number | string>> {
  const accounts = options.accounts ?? 1000;
  const latencyMs = options.latencyMs ?? 50;
  const throttleEvery = options.throttleEvery ?? 100;
  const worker = new Worker(new URL('./fake-worker.js', import.meta.url), {
    workerData: { accounts, latencyMs, throttleEvery },
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const fake = (await next()) as { endpoint: string; managementAccountId: string; cpuSeconds: number | null };
  const config = parseConfig({});
  // memoryUsage.rss() is the cheap probe; the full memoryUsage() walks the heap and skews the timing.
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  const loadAtStart = loadavg()[0] ?? 0;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  try {
    const snapshot = await collectOrgSnapshot(
      config,
      clientsFor(config, { endpoint: fake.endpoint, credentials: FAKE_RUNNER_CREDENTIALS }),
      silentLogger,
    );
    const wallSeconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    worker.postMessage('stats');
    const raw = (await next()) as {
      calls: number;
      throttled: number;
      byAccount: [string, number][];
      byOperation: [string, number][];
      throttledByAccount: [string, number][];
      cpuSeconds: number | null;
    };
    const stats = {
      ...raw,
      byAccount: new Map(raw.byAccount),
      byOperation: new Map(raw.byOperation),
      throttledByAccount: new Map(raw.throttledByAccount),
    };
    const discoveryCalls =
      (stats.byOperation.get('ListAccounts') ?? 0) + (stats.byOperation.get('DescribeOrganization') ?? 0);
    // Discovery is made from the management account's side; count it apart from the per-account audit.
    const management = fake.managementAccountId;
    // A throttled call and its retry are two calls: the retries are counted apart.
    const perAccount = [...stats.byAccount.entries()].map(
      ([id, calls]) =>
        (id === management ? calls - discoveryCalls : calls) - (stats.throttledByAccount.get(id) ?? 0),
    );
    // CPU time of the whole process (every thread) less the fake's thread: trailwatch's own work (its
    // JavaScript, signing, HTTP, GC), which unlike wall time does not depend on the machine's load.
    const processCpuSeconds = (cpu.user + cpu.system) / 1e6;
    const fakeCpuSeconds =
      raw.cpuSeconds !== null && fake.cpuSeconds !== null ? raw.cpuSeconds - fake.cpuSeconds : Number.NaN;
    const cpuSeconds = processCpuSeconds - fakeCpuSeconds;
    // How long an account takes, from its first call to its last (waiting for a free slot excluded): the
    // latency floor is the sum of these over the accounts in flight.
    const durations = snapshot.accounts.map((a) => a.durationMs).sort((a, b) => a - b);
    const quantile = (q: number) =>
      (durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? 0) / 1000;
    const regions = snapshot.accounts[0]?.regions.filter((r) => r.optInStatus !== 'not-opted-in').length ?? 0;
    return {
      name: 'coverage fan-out',
      accounts,
      regionsPerAccount: regions,
      latencyMsPerCall: latencyMs,
      concurrencyGlobal: awsSection(config).concurrency.global,
      concurrencyPerAccount: awsSection(config).concurrency.perAccount,
      wallSeconds: Number(wallSeconds.toFixed(2)),
      loadAverage1mStart: Number(loadAtStart.toFixed(2)),
      loadAverage1mEnd: Number((loadavg()[0] ?? 0).toFixed(2)),
      cpuSeconds: Number(cpuSeconds.toFixed(2)),
      cpuMsPerAccount: Number(((cpuSeconds * 1000) / accounts).toFixed(2)),
      fakeCpuSeconds: Number(fakeCpuSeconds.toFixed(2)),
      accountSecondsP50: quantile(0.5),
      accountSecondsP99: quantile(0.99),
      accountSecondsMax: quantile(1),
      accountSecondsSum: Number((durations.reduce((n, d) => n + d, 0) / 1000).toFixed(1)),
      accountsReported: snapshot.accounts.length,
      accountsAudited: snapshot.accounts.filter((a) => a.status === 'audited').length,
      throttledCalls: stats.throttled,
      throttledEvery: throttleEvery,
      callsTotal: stats.calls,
      discoveryCalls,
      callsPerAccountMean: Number(((stats.calls - discoveryCalls - stats.throttled) / accounts).toFixed(2)),
      callsPerAccountMax: Math.max(0, ...perAccount),
      retriesPerAccountMax: Math.max(0, ...stats.throttledByAccount.values()),
      assumeRolePerAccount: Number(((stats.byOperation.get('AssumeRole') ?? 0) / accounts).toFixed(2)),
      trailsPerAccount: Number(
        (snapshot.accounts.reduce((n, a) => n + a.trails.length, 0) / accounts).toFixed(2),
      ),
      // The fake endpoint's worker thread shares this process: its memory is included.
      peakRssMb: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1_048_576),
    };
  } finally {
    clearInterval(sampler);
    worker.postMessage('close');
    await worker.terminate();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // node dist-tools/bench/fanout.js [accounts] prints one JSON line.
  const accounts = Number(process.argv[2] ?? 1000);
  process.stdout.write(`${JSON.stringify(await benchFanOut({ accounts }))}\n`);
}
