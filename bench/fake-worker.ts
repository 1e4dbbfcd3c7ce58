// The fake AWS for the fan-out bench, in a worker thread of its own: AWS's side of the calls runs on its own
// thread (another core), as it would in another data centre, so the bench measures trailwatch's own cost.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { generateOrg, OPT_IN_REGIONS, startFakeAws } from '../tools/fake-aws/index.js';

const { accounts, latencyMs, throttleEvery } = workerData as {
  accounts: number;
  latencyMs: number;
  throttleEvery: number;
};
/**
 * This thread's CPU time (user + system) from /proc/thread-self/stat, in seconds: the bench subtracts it from
 * the process's so that the fake's work is not counted as trailwatch's. Node 20 has no threadCpuUsage().
 */
function threadCpuSeconds(): number | null {
  try {
    // The fields after the command name (which may hold spaces) start at state, field 3; utime and stime are 14 and 15.
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const org = generateOrg(accounts);
// Every account opted into every opt-in region: 13 default + 4 = 17 enabled regions each.
for (const account of org.accounts) account.optedInRegions = [...OPT_IN_REGIONS];
const fake = await startFakeAws(org, { latencyMs, ...(throttleEvery > 0 ? { throttleEvery } : {}) });
parentPort!.postMessage({
  endpoint: fake.endpoint,
  managementAccountId: org.managementAccountId,
  cpuSeconds: threadCpuSeconds(),
});
parentPort!.on('message', (message: string) => {
  if (message === 'stats') {
    const s = fake.stats;
    parentPort!.postMessage({
      calls: s.calls,
      throttled: s.throttled,
      byAccount: [...s.byAccount],
      byOperation: [...s.byOperation],
      throttledByAccount: [...s.throttledByAccount],
      cpuSeconds: threadCpuSeconds(),
    });
  } else if (message === 'close') {
    void fake.close().then(() => parentPort!.close());
  }
});
