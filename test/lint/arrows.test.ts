// The lint rule that keeps the pipeline's arrows one way (tools/eslint/arrows.js), tested through ESLint with
// the repository's own config: a deliberate bad import in each forbidden direction fails, and the allowed
// directions pass. (`npm run lint` then holds the real tree to it.)
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/shared/version.js';

const eslint = new ESLint({ cwd: PROJECT_ROOT });

/** The arrows/* messages ESLint gives `code` as if it were the file at `path` (relative to the root). */
async function arrowProblems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(PROJECT_ROOT, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId?.startsWith('arrows/')).map((m) => m.message);
}

describe('the one-way import rule', () => {
  it.each([
    ['src/engine/bad.ts', "export { x } from '../report/evidence.js';", /engine must not import report/],
    [
      'src/shared/bad.ts',
      "import type { Row } from '../engine/types.js';\nexport type R = Row;",
      /shared must not import engine/,
    ],
    ['src/deliver/bad.ts', "import { main } from '../cli/main.js';\nmain();", /must not import the CLI/],
    [
      'src/report/bad.ts',
      "import { createClientFactory } from '../aws/clients.js';\ncreateClientFactory();",
      /report\/ must not import aws\//,
    ],
    [
      'src/classify/bad.ts',
      "const m = await import('../engine/duckdb.js');\nexport { m };",
      /classify\/ must not import engine\//,
    ],
    ['src/trails/bad.ts', "export * from '../samples/index.js';", /trails must not import samples/],
    ['src/engine/bad.ts', "export * from '../../tools/fake-aws/index.js';", /src\/ imports only src\//],
    [
      'src/discover/bad.ts',
      "import { runDaily } from '../run.js';\nexport { runDaily };",
      /discover must not import run\.ts/,
    ],
  ])('refuses %s importing a later part: %s', async (path, code, message) => {
    const problems = await arrowProblems(path, code);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it.each([
    [
      'src/report/ok.ts',
      "import type { RunErrorEntry } from '../shared/errors.js';\nexport type E = RunErrorEntry;",
    ],
    ['src/rules/ok.ts', "import type { Row } from '../engine/types.js';\nexport type R = Row;"],
    ['src/cli/ok.ts', "import { runDaily } from '../run.js';\nexport { runDaily };"],
    ['src/deliver/ok.ts', "import type { Config } from '../config/schema.js';\nexport type C = Config;"],
    ['src/engine/ok.ts', "import { sizeBytes } from './engine-limits.js';\nexport { sizeBytes };"],
  ])('allows %s: %s', async (path, code) => {
    expect(await arrowProblems(path, code)).toEqual([]);
  });
});

describe('the import cycle rule', () => {
  it('refuses an import that closes a cycle, and names it', async () => {
    // shared/window.ts imports shared/errors.ts: errors.ts importing window.ts back closes the circle.
    const problems = await arrowProblems(
      'src/shared/errors.ts',
      "import { dayWindow } from './window.js';\nexport const w = dayWindow;",
    );
    expect(problems).toEqual(['import cycle: shared/errors.ts → shared/window.ts → shared/errors.ts']);
  });

  it('counts type-only imports too, and passes an import that closes nothing', async () => {
    expect(
      await arrowProblems(
        'src/shared/errors.ts',
        "import type { TimeWindow } from './window.js';\nexport type T = TimeWindow;",
      ),
    ).toHaveLength(1);
    expect(
      await arrowProblems(
        'src/shared/errors.ts',
        "import { VERSION } from './version.js';\nexport const v = VERSION;",
      ),
    ).toEqual([]);
  });
});
