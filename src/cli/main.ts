import { Command } from 'commander';
import { createLogger } from '../shared/log.js';
import { VERSION } from '../shared/version.js';
import { registerCommands } from './commands.js';
import { EXIT_CODES as EXIT } from './exit-codes.js';
import { reportFailure } from './failure.js';

/** Runs the CLI with `argv` (node, script, ...args) and returns the exit code. Never throws. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('trailwatch')
    .description(
      'Audit CloudTrail across an AWS Organization: trail coverage, detections, digest and evidence.',
    )
    .version(VERSION)
    .option('-q, --quiet', 'log only warnings and errors (no progress)')
    .option('--verbose', 'log debug detail too')
    .exitOverride()
    .showHelpAfterError();
  // The level goes where every logger and progress line reads it; restored when the command is done.
  const level = process.env.TRAILWATCH_LOG_LEVEL;
  program.hook('preAction', () => {
    const { quiet, verbose } = program.opts<{ quiet?: boolean; verbose?: boolean }>();
    if (quiet) process.env.TRAILWATCH_LOG_LEVEL = 'warn';
    else if (verbose) process.env.TRAILWATCH_LOG_LEVEL = 'debug';
    createLogger().debug('trailwatch', { version: VERSION, node: process.version, argv: argv.slice(2) });
  });
  let exitCode: number = EXIT.ok;
  registerCommands(program, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    return reportFailure(error);
  } finally {
    if (level === undefined) delete process.env.TRAILWATCH_LOG_LEVEL;
    else process.env.TRAILWATCH_LOG_LEVEL = level;
  }
}
