// Run-ending failures → message and exit code, for the CLI and for the process around it. Kept apart from
// main.ts so the process entry's crash handling does not depend on loading every command.
import { CommanderError } from 'commander';
import { ConfigError, InputError, OutputBusyError } from '../shared/errors.js';
import { safeForTerminal } from '../shared/escape.js';
import { EXIT_CODES as EXIT } from './exit-codes.js';

/** The one place that maps run-ending errors to messages and exit codes. */
export function reportFailure(error: unknown): number {
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
  if (error instanceof OutputBusyError) {
    print(`trailwatch: ${error.message}`);
    return EXIT.incomplete;
  }
  if (error instanceof InputError) {
    print(`trailwatch: ${error.message}`);
    return EXIT.badInput;
  }
  print(
    `trailwatch: internal error (a bug; please report it): ${error instanceof Error ? error.message : String(error)}`,
  );
  if (process.env.TRAILWATCH_DEBUG && error instanceof Error && error.stack) print(error.stack);
  return EXIT.internal;
}

/**
 * The process entry point (bin/trailwatch.js): runs the CLI and sets the exit code. A crash outside the
 * command's own promise (an uncaught exception or an unhandled rejection from a background task) would make
 * Node exit 1, the code for "alerts found"; it exits 4 instead, after saying so.
 */
export async function runProcess(
  main: (argv: string[]) => Promise<number>,
  argv: string[] = process.argv,
): Promise<void> {
  const crash = (error: unknown) => {
    process.exitCode = reportFailure(error);
    process.exit();
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  // A reader that closed its end (`trailwatch rules list | head -1`) is not an error: what is left to print has
  // nowhere to go, so it is dropped quietly and the command ends with its own exit code.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') crash(error);
  });
  process.exitCode = await main(argv);
}
