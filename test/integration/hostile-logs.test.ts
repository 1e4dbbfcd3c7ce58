import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fillRecord } from '../../src/rules/test-cases.js';

// Values an attacker controls in CloudTrail: resource names in request parameters and the user agent.
const TRAIL_NAME = '<img src=x onerror=alert(1)></mj-text><mj-raw><script>alert(2)</script></mj-raw>{{7*7}}';
const USER_AGENT = 'Mozilla/5.0 \u202Egnp.exe javascript:alert(3) \u001b[31m::error::pwned';

let out: string;
let stdout = '';
let code: number;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tw-hostile-logs-'));
  const logs = join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2026', '11', '20');
  await mkdir(logs, { recursive: true });
  const records = [
    fillRecord(
      {
        eventSource: 'cloudtrail.amazonaws.com',
        eventName: 'StopLogging',
        userAgent: USER_AGENT,
        // 10 MB of request parameters without a single space.
        requestParameters: { name: TRAIL_NAME, padding: 'A'.repeat(10 * 1024 * 1024) },
      },
      1,
    ),
  ];
  await writeFile(join(logs, 'hostile.json.gz'), gzipSync(JSON.stringify({ Records: records })));
  out = join(dir, 'out');
  ({ code, out: stdout } = await runCli([
    'scan',
    '--logs',
    join(dir, 'AWSLogs'),
    '--out',
    out,
    '--report',
    '--config',
    '/dev/null',
  ]));
}, 120_000);

describe('hostile CloudTrail values, from the log file to every output', () => {
  it('finds the tampering and completes the run', async () => {
    expect(code).toBe(0);
    const doc = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as {
      findings: { ruleId: string; userAgent: string }[];
    };
    expect(doc.findings.map((f) => f.ruleId)).toEqual(['trail-tampering']);
    expect(doc.findings[0]?.userAgent).toBe(USER_AGENT);
  });

  it('keeps the hostile user agent and the 10 MB request parameters out of the history: group keys only', async () => {
    const text = await readFile(join(out, 'history.json'), 'utf8');
    expect(text).not.toContain('Mozilla');
    expect(text).not.toContain('gnp.exe');
    expect(text).not.toContain('AAAAAAAAAA');
    expect(text.length).toBeLessThan(2_000);
    const history = JSON.parse(text) as { days: { groups: Record<string, unknown>[] }[] };
    expect(history.days[0]?.groups.map((g) => Object.keys(g).sort())).toEqual([
      ['accountId', 'count', 'eventName', 'principal', 'rule'],
    ]);
  });

  it('keeps the digest HTML free of markup from the log, showing it as text', async () => {
    const html = await readFile(join(out, 'digest.html'), 'utf8');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<mj-');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).not.toContain('\u202E');
    expect(Buffer.byteLength(html)).toBeLessThan(100 * 1024);
  });

  it('shows the values as visible, inert text in the plain-text part and the PDF', async () => {
    const text = await readFile(join(out, 'digest.txt'), 'utf8');
    expect(text).toContain('<img src=x onerror=alert(1)>');
    const pdf = execFileSync('pdftotext', ['-layout', join(out, 'evidence.pdf'), '-'], { encoding: 'utf8' });
    // Table cells wrap the long value over lines; its pieces are there as visible text.
    for (const piece of ['<img', 'src=x onerror=alert(1)>', '<script>alert(2)</script>', '{{7*7}}'])
      expect(pdf).toContain(piece);
    expect(pdf).not.toContain('\u202E');
  });

  it('prints nothing a terminal or an Actions runner would interpret', () => {
    expect(stdout).not.toContain('\u001b');
    expect(stdout).not.toContain('::error::');
  });
});
