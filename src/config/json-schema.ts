// The configuration's JSON Schema, generated from the zod schema that validates it, so editors (the YAML
// language server's `# yaml-language-server: $schema=…` line) check a config file as trailwatch will.
// Checks JSON Schema cannot say (a date that exists on the calendar, a CIDR block) stay trailwatch's own.
import { z } from 'zod';
import { configSchema } from './schema.js';

/** The shipped schema's file name, at the package root beside trailwatch.config.example.yaml. */
export const CONFIG_SCHEMA_FILE = 'trailwatch.schema.json';

/** The JSON Schema (draft-07, which editors support widely) of trailwatch.config.yaml, as written by hand. */
export function configJsonSchema(): Record<string, unknown> {
  // `input`: what a file may say (keys with defaults are optional), not the parsed result.
  const generated = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-7' });
  return {
    ...generated,
    title: 'trailwatch configuration (trailwatch.config.yaml)',
    description:
      'Every key is optional for `trailwatch scan` and `trailwatch demo`; see trailwatch.config.example.yaml.',
  };
}

/** The schema as the shipped file holds it. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
