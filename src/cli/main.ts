import { Command, CommanderError } from 'commander';
import { ConfigError, InputError } from '../shared/errors.js';
import { safeForTerminal } from '../shared/escape.js';
import { VERSION } from '../shared/version.js';
import { registerCommands } from './commands.js';
import { EXIT_CODES as EXIT } from './exit-codes.js';

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

/** The one place that maps run-ending errors to messages and exit codes. */
function reportFailure(error: unknown): number {
  const print = (line: string) => process.stderr.write(`${safeForTerminal(line)}\n`);
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    ) {
      return EXIT.ok;
    }
    return EXIT.badInput;
  }
  if (error instanceof ConfigError) {
    print(`trailwatch: ${error.message}`);
    for (const problem of error.problems) print(`  - ${problem}`);
    return EXIT.badInput;
  }
  if (error instanceof InputError) {
    print(`trailwatch: ${error.message}`);
    return EXIT.badInput;
  }
  print(`trailwatch: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.TRAILWATCH_DEBUG && error instanceof Error && error.stack) print(error.stack);
  return EXIT.incomplete;
}
