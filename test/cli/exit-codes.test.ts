import { spawnSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { reportFailure } from '../../src/cli/failure.js';
import { ConfigError } from '../../src/shared/errors.js';

describe('exit codes of run-ending failures', () => {
  it('an unexpected error is an internal error, exit 4, never 1 (alerts) or 2 (incomplete)', () => {
    let err = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
    try {
      expect(reportFailure(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(4);
    } finally {
      spy.mockRestore();
    }
    expect(err).toContain('internal error');
  });

  it('a configuration problem stays exit 3', () => {
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(reportFailure(new ConfigError('bad', ['a: expected b, found c']))).toBe(3);
    } finally {
      spy.mockRestore();
    }
  });

  it('a crash outside the command (an uncaught exception in the process) exits 4', () => {
    const script = [
      "import { runProcess } from './src/cli/failure.ts';",
      // A command still at work when something in the background throws.
      'const busy = () => new Promise((resolve) => setTimeout(() => resolve(0), 5000));',
      "setTimeout(() => { throw new Error('boom from a timer'); }, 0);",
      'await runProcess(busy);',
    ].join('\n');

    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });

    expect(result.stderr).toContain('internal error');
    expect(result.stderr).toContain('boom from a timer');
    expect(result.status).toBe(4);
  });
});
