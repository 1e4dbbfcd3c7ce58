import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./cli-main.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** The user a test's CLI process runs as: `nobody` when the tests run as root, who can read anything. */
export const UNPRIVILEGED = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/**
 * Runs the CLI in a process of its own, as an unprivileged user (so that a folder without read permission
 * is unreadable to it, as it is for a scheduled job), with the exit code the process ends with.
 */
export function runCliProcess(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
      ...UNPRIVILEGED,
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, err }));
  });
}
