import { join } from 'node:path';
import type { Command } from 'commander';
import { generateSampleOrg } from '../samples/generate.js';
import { PROJECT_ROOT } from '../shared/version.js';

/** Where the demo organization's generated logs live. */
export const SAMPLE_LOGS_DIR = join(PROJECT_ROOT, 'samples', 'logs');

/** `trailwatch samples`: (re)generate the sample organization's CloudTrail logs. */
export function registerSamples(program: Command): void {
  program
    .command('samples')
    .description("Generate the sample organization's CloudTrail logs (deterministic, about 50,000 events)")
    .option('--out <dir>', 'folder to write the AWSLogs/ tree into', SAMPLE_LOGS_DIR)
    .option('--seed <n>', 'random seed', (v) => Number.parseInt(v, 10))
    .option('--events <n>', 'number of events', (v) => Number.parseInt(v, 10))
    .action(async (opts: { out: string; seed?: number; events?: number }) => {
      const result = await generateSampleOrg(opts.out, {
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        ...(opts.events !== undefined ? { events: opts.events } : {}),
      });
      process.stdout.write(
        `wrote ${result.events.toLocaleString('en-US')} events in ${result.files} files under ${opts.out}\n`,
      );
    });
}
