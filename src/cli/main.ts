import { Command } from 'commander';
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
    .exitOverride()
    .showHelpAfterError();
  let exitCode: number = EXIT.ok;
  registerCommands(program, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    return reportFailure(error);
  }
}
