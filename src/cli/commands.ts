import type { Command } from 'commander';
import { registerRules } from './rules.js';
import { registerScan } from './scan.js';

/** Sets the process exit code chosen by a command. */
export type SetExit = (code: number) => void;

/** Registers every sub-command on the program. Each command lives in its own file under src/cli/. */
export function registerCommands(program: Command, setExit: SetExit): void {
  registerScan(program, setExit);
  registerRules(program, setExit);
}
