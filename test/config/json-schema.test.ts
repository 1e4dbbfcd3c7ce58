// The shipped JSON Schema is the one the zod schema generates today, and the example configs name it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_FILE, configJsonSchema, configJsonSchemaText } from '../../src/config/json-schema.js';
import { PROJECT_ROOT } from '../../src/shared/version.js';
import { runCli } from '../support/cli.js';

describe('the configuration JSON Schema', () => {
  it('is printed by `trailwatch config schema`', async () => {
    const { code, out, err } = await runCli(['config', 'schema']);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(JSON.parse(out)).toEqual(configJsonSchema());
  });

  it(`is shipped current as ${CONFIG_SCHEMA_FILE} (regenerate: trailwatch config schema > ${CONFIG_SCHEMA_FILE})`, async () => {
    expect(await readFile(join(PROJECT_ROOT, CONFIG_SCHEMA_FILE), 'utf8')).toBe(configJsonSchemaText());
  });

  it('describes the config as trailwatch reads it: strict keys, enums, patterns, the deliver section', () => {
    const schema = configJsonSchema() as {
      $schema: string;
      additionalProperties: boolean;
      properties: Record<string, { properties?: Record<string, unknown> } & Record<string, unknown>>;
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.failOn).toMatchObject({ enum: ['alert', 'never'] });
    const s3 = schema.properties.deliver?.properties?.s3 as { required: string[] };
    expect(s3.required).toEqual(['bucket']);
  });

  it.each([
    ['trailwatch.config.example.yaml', './trailwatch.schema.json'],
    ['samples/trailwatch.demo.yaml', '../trailwatch.schema.json'],
  ])('is named for editors on the first line of %s', async (file, relative) => {
    const first = (await readFile(join(PROJECT_ROOT, file), 'utf8')).split('\n')[0];
    expect(first).toBe(`# yaml-language-server: $schema=${relative}`);
    // The path it names is the shipped schema, from where the file is.
    expect(join(PROJECT_ROOT, file, '..', relative)).toBe(join(PROJECT_ROOT, CONFIG_SCHEMA_FILE));
  });
});
