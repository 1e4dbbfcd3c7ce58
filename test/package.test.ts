// What `npm pack` puts in the package: only the product (built JavaScript, rules, queries, templates, IAM
// material, the demo's data), never the fake AWS, the bench (built apart, into dist-tools/), sources, tests or maps. Checked by npm itself on a
// tree shaped like the repository after a build, with the real package.json's `files` and `bin`.
// (scripts/check-package.sh, run in CI, packs the real build, installs it into an empty folder and runs it.)
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/shared/version.js';

const run = promisify(execFile);

const TREE = [
  'bin/trailwatch.js',
  'dist/cli/main.js',
  'dist/cli/main.js.map',
  'dist/samples/generate.js',
  'dist-tools/bench/index.js',
  'dist-tools/tools/fake-aws/server.js',
  'bench/index.ts',
  'tools/fake-aws/server.ts',
  'src/cli/main.ts',
  'test/action.test.ts',
  'rules/trail-tampering.yaml',
  'queries/trail-tampering.sql',
  'templates/digest.mjml',
  'templates/partials/evidence-group.html',
  'iam/audit-role.yaml',
  'samples/org-snapshot.json',
  'samples/trailwatch.demo.yaml',
  'samples/logs/AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/21/x.json.gz',
  'scripts/setup.sh',
  'action.yml',
  '.github/workflows/ci.yml',
  'trailwatch.config.example.yaml',
  'trailwatch.schema.json',
  'README.md',
];

describe('the npm package', () => {
  it('holds the product and nothing else, with trailwatch on the PATH', async () => {
    const real = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      files: string[];
      bin: Record<string, string>;
    };
    expect(real.bin).toEqual({ trailwatch: 'bin/trailwatch.js' });
    const dir = await mkdtemp(join(tmpdir(), 'tw-pack-'));
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'trailwatch', version: '0.0.0', files: real.files, bin: real.bin }),
    );
    for (const file of TREE) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), 'x\n');
    }
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir });
    const [pack] = JSON.parse(stdout) as { files: { path: string }[] }[];
    expect((pack?.files ?? []).map((f) => f.path).sort()).toEqual(
      [
        'README.md',
        'bin/trailwatch.js',
        'dist/cli/main.js',
        'dist/samples/generate.js',
        'iam/audit-role.yaml',
        'package.json',
        'queries/trail-tampering.sql',
        'rules/trail-tampering.yaml',
        'samples/org-snapshot.json',
        'samples/trailwatch.demo.yaml',
        'templates/digest.mjml',
        'templates/partials/evidence-group.html',
        'trailwatch.config.example.yaml',
        'trailwatch.schema.json',
      ].sort(),
    );
  }, 30_000);
});
