// Suppressions end to end: real CloudTrail-shaped files, real DuckDB, the real CLI, real Chromium and
// pdftotext. A CI role's findings in every account leave the alert section but stay in findings.json and
// the PDF; an expired suppression stops suppressing and is said; an unused one is listed.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/config/suppressions.js';
import type { FindingsFile } from '../../src/model.js';
import { fillRecord } from '../../src/rules/test-cases.js';
import { runCli } from '../support/cli.js';

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const TODAY = new Date().toISOString().slice(0, 10);
const CI_ROLE = 'github-actions-deploy';

let out: string;
let code: number;
let doc: FindingsFile;

function ciRecord(accountId: string, index: number): Record<string, unknown> {
  return fillRecord(
    {
      recipientAccountId: accountId,
      eventSource: 'iam.amazonaws.com',
      eventName: 'PutRolePolicy',
      readOnly: false,
      requestParameters: { roleName: 'app', policyName: 'read', policyDocument: '{}' },
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLE:GitHubActions',
        arn: `arn:aws:sts::${accountId}:assumed-role/${CI_ROLE}/GitHubActions`,
        accountId,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: 'AROAEXAMPLE',
            arn: `arn:aws:iam::${accountId}:role/${CI_ROLE}`,
            accountId,
            userName: CI_ROLE,
          },
        },
      },
    },
    index,
  );
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tw-suppress-'));
  const logs = join(dir, 'logs');
  out = join(dir, 'out');
  for (const [i, accountId] of ACCOUNTS.entries()) {
    const folder = join(logs, 'AWSLogs', accountId, 'CloudTrail', 'us-east-1', '2026', '11', '20');
    await mkdir(folder, { recursive: true });
    const records = [ciRecord(accountId, i * 10 + 1)];
    // Root use in the first account: the expired suppression for it must no longer hide it.
    if (i === 0) {
      records.push(
        fillRecord(
          {
            recipientAccountId: accountId,
            eventSource: 'iam.amazonaws.com',
            eventName: 'ListUsers',
            userIdentity: { type: 'Root', arn: `arn:aws:iam::${accountId}:root`, accountId },
          },
          i * 10 + 2,
        ),
      );
    }
    await writeFile(
      join(folder, `${accountId}_CloudTrail_us-east-1_20261120T1200Z_x.json.gz`),
      gzipSync(JSON.stringify({ Records: records })),
    );
  }
  const config = join(dir, 'trailwatch.config.yaml');
  await writeFile(
    config,
    [
      'organization: Suppression Test Org',
      'suppressions:',
      '  - id: ci-deploy',
      "    rule: '*'",
      `    principal: 'arn:aws:sts::*:assumed-role/${CI_ROLE}/*'`,
      '    reason: Terraform from main, reviewed in pull requests',
      '    owner: platform@example.com',
      `    expires: ${addDays(TODAY, 30)}`,
      '  - id: old-root',
      '    rule: root-usage',
      `    accountId: '${ACCOUNTS[0]}'`,
      '    reason: Root drill last quarter',
      `    expires: ${addDays(TODAY, -3)}`,
      '  - id: nobody',
      '    rule: console-login',
      "    principal: 'arn:aws:iam::*:user/nobody'",
      '    reason: A user that never signs in',
      `    expires: ${addDays(TODAY, 60)}`,
      '',
    ].join('\n'),
  );
  ({ code } = await runCli(['scan', '--logs', logs, '--out', out, '--config', config, '--report']));
  doc = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as FindingsFile;
}, 60_000);

describe('a glob principal suppression of a CI role', () => {
  it("keeps the CI role's findings of every account in findings.json, marked with the suppression", () => {
    expect(code).toBe(0);
    const ci = doc.findings.filter((f) => f.principal?.includes(CI_ROLE));
    expect(ci.map((f) => f.accountId).sort()).toEqual(ACCOUNTS);
    for (const f of ci) {
      expect(f.suppressed).toBe(true);
      expect(f.suppression).toEqual({
        id: 'ci-deploy',
        index: 0,
        reason: 'Terraform from main, reviewed in pull requests',
        owner: 'platform@example.com',
        expires: addDays(TODAY, 30),
      });
    }
  });

  it('leaves them out of the email’s alert section, which counts them as suppressed', async () => {
    const text = await readFile(join(out, 'digest.txt'), 'utf8');
    const alerts = text.slice(text.indexOf('ALERTS — ACT NOW'), text.indexOf('TRAIL COVERAGE'));
    expect(alerts).toContain('root-usage');
    expect(alerts).not.toContain(CI_ROLE);
    expect(text).toContain('3 suppressed (3 of them alerts)');
  });

  it('lists each of them in the PDF with the suppression, reason, owner and expiry', () => {
    const pdf = execFileSync('pdftotext', ['-raw', join(out, 'evidence.pdf'), '-'], { encoding: 'utf8' });
    const squashed = pdf.replace(/\s+/g, '');
    const suppressedSection = squashed.slice(squashed.lastIndexOf('6.Suppressed'));
    for (const account of ACCOUNTS) {
      expect(suppressedSection).toContain(`arn:aws:sts::${account}:assumed-role/${CI_ROLE}/GitHubActions`);
    }
    expect(suppressedSection).toContain('ci-deploy:Terraformfrommain,reviewedinpullrequests');
    expect(suppressedSection).toContain('platform@example.com');
  });
});

describe('an expired and an unused suppression', () => {
  it('the expired one no longer suppresses, and the digest says what it shows again', async () => {
    const root = doc.findings.filter((f) => f.ruleId === 'root-usage');
    expect(root).toHaveLength(1);
    expect(root[0]?.suppressed).toBe(false);
    expect(doc.suppressions?.find((s) => s.id === 'old-root')).toMatchObject({
      state: 'expired',
      shownAgain: 1,
    });
    const text = await readFile(join(out, 'digest.txt'), 'utf8');
    expect(text).toContain(
      `Suppression old-root (root-usage) expired on ${addDays(TODAY, -3)} — 1 finding shown again`,
    );
  });

  it('the unused one is listed as unused in findings.json and the evidence', () => {
    expect(doc.suppressions?.find((s) => s.id === 'nobody')).toMatchObject({ state: 'active', matched: 0 });
    const pdf = execFileSync('pdftotext', ['-raw', join(out, 'evidence.pdf'), '-'], { encoding: 'utf8' });
    expect(pdf.replace(/\s+/g, '')).toContain('Unusedinthisrun(matchednothing):nobody');
  });
});
