import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/shared/errors.js';
import { runCli } from '../support/cli.js';

async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tw-config-'));
  const file = join(dir, 'trailwatch.config.yaml');
  await writeFile(file, text);
  return file;
}

const THREE_MISTAKES = `
approvedRegions: [us-east-1, Europe]
failOn: sometimes
rules:
  iam-change: { enabled: "no" }
`;

describe('configuration', () => {
  it('accepts an empty file and fills the defaults', () => {
    const config = parseConfig({});
    expect(config.outDir).toBe('out');
    expect(config.engine.type).toBe('duckdb');
    expect(config.rules).toEqual({});
  });

  it('reports every problem with its key path, what was expected, what was found and its line', async () => {
    const file = await configFile(THREE_MISTAKES);
    const error = await loadConfig(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^approvedRegions\[1\]: expected an AWS region name .*, found "Europe" \(line 2\)$/,
      ),
    );
    expect(problems).toContainEqual('failOn: expected one of "alert", "never", found "sometimes" (line 3)');
    expect(problems).toContainEqual('rules.iam-change.enabled: expected boolean, found "no" (line 5)');
  });

  it('gives the line of an unknown key, and of the mapping that lacks a required key', async () => {
    const file = await configFile('organization: Acme\n\nemail:\n  to: [a@example.com]\n  transprot: ses\n');
    const error = (await loadConfig(file).catch((e: unknown) => e)) as ConfigError;
    expect(error.problems).toEqual([
      'email.from: expected string, found nothing (line 4)',
      'email.transprot: expected no such key, found "ses" (line 5)',
    ]);
  });

  it('names an unknown key instead of ignoring it', () => {
    expect(() => parseConfig({ approvedRegion: ['us-east-1'] })).toThrow(ConfigError);
    try {
      parseConfig({ approvedRegion: ['us-east-1'] });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual(['approvedRegion: expected no such key, found a list']);
    }
  });

  it('reports YAML syntax errors as configuration problems', async () => {
    const file = await configFile('approvedRegions: [us-east-1\nfailOn: alert\n');
    await expect(loadConfig(file)).rejects.toBeInstanceOf(ConfigError);
  });

  it('lets TRAILWATCH_OUT and TRAILWATCH_ENGINE override the file', () => {
    vi.stubEnv('TRAILWATCH_OUT', '/tmp/elsewhere');
    vi.stubEnv('TRAILWATCH_ENGINE', 'athena');
    try {
      const config = parseConfig({ outDir: 'out' });
      expect(config.outDir).toBe('/tmp/elsewhere');
      expect(config.engine.type).toBe('athena');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('makes the CLI exit with code 3 and print the three messages, without a stack trace', async () => {
    const file = await configFile(THREE_MISTAKES);
    const { code, err: text } = await runCli(['rules', 'list', '--config', file]);
    expect(code).toBe(3);
    expect(text).toContain('has 3 problems');
    expect(text.match(/^ {2}- /gm)).toHaveLength(3);
    expect(text).not.toMatch(/\n\s+at /);
  });
});

describe('shipped configuration files', () => {
  it.each(['trailwatch.config.example.yaml', 'samples/trailwatch.demo.yaml'])('%s is valid', async (file) => {
    const { PROJECT_ROOT } = await import('../../src/shared/version.js');
    const { config } = await loadConfig(join(PROJECT_ROOT, file));
    expect(config.approvedRegions?.length).toBeGreaterThan(0);
  });
});

describe('aws.sessionName', () => {
  it('must start with trailwatch, as the audit role trust policy requires', () => {
    expect(parseConfig({ aws: { sessionName: 'trailwatch-nightly' } }).aws?.sessionName).toBe(
      'trailwatch-nightly',
    );
    expect(() => parseConfig({ aws: { sessionName: 'audit' } })).toThrow(ConfigError);
  });
});
