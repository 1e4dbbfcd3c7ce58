import type { Command } from 'commander';
import { configJsonSchemaText } from '../config/json-schema.js';

/** `trailwatch config schema`: the configuration's JSON Schema, for editors and CI checks. */
export function registerConfig(program: Command): void {
  const config = program.command('config').description('About the configuration file');
  config
    .command('schema')
    .description(
      "Print the configuration's JSON Schema (draft-07), generated from the schema trailwatch validates with",
    )
    .action(() => {
      process.stdout.write(configJsonSchemaText());
    });
}
