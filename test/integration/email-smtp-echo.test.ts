// An SMTP server that echoes the AUTH exchange back in its refusal: the daily run (the CLI, in this process)
// must not let the password out in any encoding the transport used — not on stdout or stderr, not in
// findings.json, manifest.json or the job summary. Real smtp-server on 127.0.0.1.
import { mkdtemp, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_SNAPSHOT } from '../../src/cli/demo.js';
import { fillRecord } from '../../src/rules/test-cases.js';
import { runCli } from '../support/cli.js';

const USER = 'digest-sender';
const PASSWORD = 'Tr0ub4dor&3-horse-battery';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
// Everything a leak could look like: the text, and the base64 the AUTH PLAIN and AUTH LOGIN exchanges carry.
const FORBIDDEN = [PASSWORD, b64(`\0${USER}\0${PASSWORD}`), b64(PASSWORD), b64(USER)];

const servers: SMTPServer[] = [];

async function echoingServer(method: 'PLAIN' | 'LOGIN'): Promise<number> {
  const server = new SMTPServer({
    authMethods: [method],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      // The server quotes back what the client sent, as some misconfigured relays do.
      const sent =
        method === 'PLAIN'
          ? b64(`\0${auth.username}\0${auth.password ?? ''}`)
          : `${b64(auth.username ?? '')} ${b64(auth.password ?? '')}`;
      callback(
        new Error(`Authentication failed for AUTH ${method} ${sent} (${auth.username}:${auth.password})`),
      );
    },
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.server.address() as AddressInfo).port;
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tw-smtp-echo-'));
  await writeFile(join(dir, 'events.json'), JSON.stringify({ Records: [fillRecord({}, 1)] }));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

describe('a daily run whose SMTP server echoes the AUTH exchange', () => {
  it.each(['PLAIN', 'LOGIN'] as const)('AUTH %s: the password leaks nowhere', async (method) => {
    const port = await echoingServer(method);
    const out = join(dir, `out-${method}`);
    const summary = join(dir, `summary-${method}.md`);
    const config = join(dir, `${method}.yaml`);
    await writeFile(
      config,
      [
        'organization: Echo Org',
        `engine: { duckdb: { logs: ${JSON.stringify(dir)} } }`,
        'report: { pdf: false }',
        'email:',
        '  to: [secops@example.com]',
        '  from: trailwatch@example.com',
        `  smtp: { host: 127.0.0.1, port: ${port}, secure: false, user: ${USER}, passwordEnv: TW_ECHO_PASSWORD }`,
        '',
      ].join('\n'),
    );
    vi.stubEnv('TW_ECHO_PASSWORD', PASSWORD);
    vi.stubEnv('GITHUB_STEP_SUMMARY', summary);

    const result = await runCli([
      'run',
      '--config',
      config,
      '--date',
      '2026-11-20',
      '--org-snapshot',
      DEMO_SNAPSHOT,
      '--out',
      out,
    ]);

    expect(result.code).toBe(2);
    const outputs = {
      stdout: result.out,
      stderr: result.err,
      findings: await readFile(join(out, 'findings.json'), 'utf8'),
      manifest: await readFile(join(out, 'manifest.json'), 'utf8'),
      summary: await readFile(summary, 'utf8'),
    };
    // The failure is said, with the server's code, in each place…
    expect(outputs.manifest).toContain('email-send-failed');
    expect(outputs.stderr).toContain('535');
    expect(outputs.summary).toContain('email\\-send\\-failed');
    // …and no form of the credentials is anywhere.
    for (const [where, text] of Object.entries(outputs)) {
      for (const secret of FORBIDDEN) expect(text.includes(secret), `${where} holds ${secret}`).toBe(false);
      expect(text).not.toContain('Authentication failed for');
    }
  });
});
