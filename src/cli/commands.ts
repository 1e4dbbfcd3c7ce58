import type { Command } from 'commander';
import { registerCoverage } from './coverage.js';

/** Sets the process exit code chosen by a command. */
export type SetExit = (code: number) => void;

/** Registers every sub-command on the program. Each command lives in its own file under src/cli/. */
export function registerCommands(program: Command, setExit: SetExit): void {
  void program;
  void setExit;
  registerCoverage(program, setExit);
}
