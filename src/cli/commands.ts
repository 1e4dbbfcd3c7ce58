import type { Command } from 'commander';
import type { SetExit } from './exit-code.js';
import { registerAthena } from './athena.js';
import { registerConfig } from './config.js';
import { registerCoverage } from './coverage.js';
import { registerDemo } from './demo.js';
import { registerRules } from './rules.js';
import { registerRun } from './run.js';
import { registerSamples } from './samples.js';
import { registerScan } from './scan.js';
import { registerSuppressions } from './suppressions.js';

/** Registers every sub-command on the program. Each command lives in its own file under src/cli/. */
export function registerCommands(program: Command, setExit: SetExit): void {
  registerScan(program, setExit);
  registerCoverage(program, setExit);
  registerDemo(program, setExit);
  registerRun(program, setExit);
  registerRules(program, setExit);
  registerAthena(program, setExit);
  registerSuppressions(program, setExit);
  registerSamples(program);
  registerConfig(program);
}
