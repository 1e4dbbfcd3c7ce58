// Real Chromium, real pdftotext. No skipping: CI installs Chromium, and a missing browser must fail here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticReportInput } from '../../bench/report.js';
import {
  evidenceRows,
  lookUpBrowser,
  renderReport,
  REPAGINATE_MAX_ROWS,
  type ReportInput,
  type ReportOptions,
} from '../../src/report/index.js';
import { BROWSER_ARGS, findBrowser, printPdf } from '../../src/report/pdf.js';
import { silentLogger } from '../../src/shared/log.js';
import { hostileReportInput, hostileValues } from '../fixtures/hostile.js';
import { sampleReportInput } from '../fixtures/sample-org.js';

/**
 * Renders the report in memory (the browser looked up as a run looks it up, from report.pdf and
 * report.browserPath) and writes its files into `dir`, as delivery does; returns their paths.
 */
async function writeReport(
  dir: string,
  input: ReportInput,
  options: Omit<ReportOptions, 'browser'> & { pdf: boolean; browserPath?: string },
) {
  const { pdf, browserPath, ...rest } = options;
  const report = await renderReport(input, {
    ...rest,
    browser: lookUpBrowser({ pdf, ...(browserPath ? { browserPath } : {}) }),
  });
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const file of report.files) {
    await writeFile(join(dir, file.name), file.bytes);
    files.push(join(dir, file.name));
  }
  return { ...report, files };
}

const browserPath = findBrowser();

function pdfText(path: string): string {
  return execFileSync('pdftotext', ['-layout', path, '-'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
}

// Table cells wrap, so compare without whitespace, in the order Chromium drew the text (-raw).
function pdfRawSquashed(path: string): string {
  const raw = execFileSync('pdftotext', ['-raw', path, '-'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return raw.replace(/\s+/g, '');
}

function squash(value: string): string {
  return value.replace(/\s+/g, '');
}

function pdfInfo(path: string): string {
  return execFileSync('pdfinfo', [path], { encoding: 'utf8' });
}

function outDir(): string {
  return mkdtempSync(join(tmpdir(), 'tw-report-'));
}

// A local web server that counts every request: a PDF that fetched anything would show up here.
let hits: string[] = [];
let port = 0;
const server = createServer((request, response) => {
  hits.push(request.url ?? '');
  response.end('x');
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('evidence PDF', () => {
  it('finds a browser (CI installs Chromium; a missing one fails this suite)', () => {
    expect(browserPath).not.toBeNull();
  });

  it('writes the digest and an A4 evidence PDF with cover facts, every fired rule, coverage and page numbers', async () => {
    const dir = outDir();
    const result = await writeReport(dir, sampleReportInput(), { pdf: true, paper: 'A4', log: silentLogger });

    expect(result.errors).toEqual([]);
    expect(result.pdfWritten).toBe(true);
    expect(result.files.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
      'digest.html',
      'digest.txt',
      'evidence.pdf',
    ]);
    const text = pdfText(join(dir, 'evidence.pdf'));
    const pages = Number(/Pages:\s+(\d+)/.exec(pdfInfo(join(dir, 'evidence.pdf')))?.[1]);
    // Cover facts.
    expect(text).toContain('Acme Corp');
    expect(text).toContain('run-2026-11-22T06-00-00Z');
    expect(text).toContain('2026-11-21 00:00:00 UTC → 2026-11-22 00:00:00 UTC');
    expect(text).toContain('Audit complete');
    expect(text).toContain('a'.repeat(64));
    expect(text).toMatch(/trailwatch version\s+0\.1\.0/);
    // Every rule that fired, with its SQL.
    for (const id of [
      'trail-tampering',
      'root-usage',
      'console-login-failure',
      'iam-change',
      's3-bucket-policy-change',
    ]) {
      expect(text).toContain(id);
    }
    expect(text).toContain('FROM cloudtrail_logs');
    // The coverage problem account and region, in the order Chromium drew the row.
    const raw = pdfRawSquashed(join(dir, 'evidence.pdf'));
    expect(raw).toContain(squash('trail-region-uncovered HIGH 555555555555 acme-dev ap-southeast-2'));
    // Suppressed, with reason and expiry.
    expect(raw).toContain(squash('Terraform pipeline changes are reviewed in pull requests'));
    expect(raw).toContain('2027-03-31');
    // Header and footer on every page; the table of contents has page numbers.
    expect(pages).toBeGreaterThan(5);
    for (let page = 1; page <= pages; page += 1) expect(text).toContain(`page ${page} of ${pages}`);
    expect(text.match(/Acme Corp — CloudTrail audit evidence\s+2026-11-21/g)?.length).toBe(pages);
    expect(text).toMatch(/1\. Summary\s+2\n/);
    expect(text).not.toContain('Each entry links to its section');
    expect(text).toMatch(/7\. Errors and incompleteness\s+\d+\n/);
    expect(hits).toEqual([]);
  });

  it('prints on Letter paper too', async () => {
    const dir = outDir();
    const result = await writeReport(dir, sampleReportInput(), {
      pdf: true,
      paper: 'Letter',
      log: silentLogger,
    });

    expect(result.pdfWritten).toBe(true);
    expect(pdfInfo(join(dir, 'evidence.pdf'))).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
  });

  it('without a browser writes everything else and says why there is no PDF', async () => {
    const dir = outDir();
    const result = await writeReport(dir, sampleReportInput(), {
      pdf: true,
      paper: 'A4',
      browserPath: '/nonexistent/chromium',
      log: silentLogger,
    });

    expect(result.pdfWritten).toBe(false);
    expect(result.errors).toEqual([
      expect.objectContaining({ scope: 'report', id: 'evidence.pdf', code: 'pdf-browser-missing' }),
    ]);
    expect(result.errors[0]?.message).toContain(
      'report.browserPath (/nonexistent/chromium) is not an executable file',
    );
    expect(result.files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(['digest.html', 'digest.txt']);
    const html = readFileSync(join(dir, 'digest.html'), 'utf8');
    expect(html).toContain('pdf-browser-missing');
    expect(html).toContain('4 more rows in findings.json.');
    expect(readFileSync(join(dir, 'digest.txt'), 'utf8')).toContain('evidence.pdf was not written');
  });

  it('records a failed print as pdf-failed and still writes the digest', async () => {
    const dir = outDir();
    // /bin/true exits at once: puppeteer cannot connect to it.
    const result = await writeReport(dir, sampleReportInput(), {
      pdf: true,
      paper: 'A4',
      browserPath: '/bin/true',
      log: silentLogger,
    });

    expect(result.pdfWritten).toBe(false);
    expect(result.errors.map((e) => e.code)).toEqual(['pdf-failed']);
    expect(result.files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(['digest.html', 'digest.txt']);
  });

  it('shows hostile values as visible text, keeps the layout and loads nothing', async () => {
    const dir = outDir();
    hits = [];
    const result = await writeReport(dir, hostileReportInput(port), {
      pdf: true,
      paper: 'A4',
      log: silentLogger,
    });
    const text = pdfRawSquashed(join(dir, 'evidence.pdf'));
    const info = pdfInfo(join(dir, 'evidence.pdf'));
    const v = hostileValues(port);

    expect(result.pdfWritten).toBe(true);
    expect(hits).toEqual([]);
    for (const value of [v.script, v.closeMjText, v.image, v.handlebars, v.javascriptUrl, v.markdown]) {
      expect(text).toContain(squash(value));
    }
    expect(text).toContain(squash('user\\u202egpj.exe\\u200b\\u2066hidden\\u2069'));
    expect(text).toContain(squash('more characters in findings.json'));
    // Same paper, a sane page count: the 5,000-character word wrapped and the 10 MB value was clipped.
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeLessThan(20);
  });

  it('blocks a real request from the document: the page asks, the interception aborts, the server sees nothing', async () => {
    // Control: the server does count a request that reaches it.
    await fetch(`http://127.0.0.1:${port}/control`);
    expect(hits).toEqual(['/control']);
    hits = [];
    const blocked: string[] = [];
    const html = `<!doctype html><html><head><link rel="stylesheet" href="http://127.0.0.1:${port}/css"></head>
      <body><img src="http://127.0.0.1:${port}/img"><iframe src="http://127.0.0.1:${port}/frame"></iframe>
      <p style="background:url(http://127.0.0.1:${port}/bg)">text</p></body></html>`;

    const pdf = await printPdf(html, {
      browserPath: browserPath ?? '',
      paper: 'A4',
      title: 't',
      date: 'd',
      onBlockedRequest: (url) => blocked.push(url),
    });

    expect(pdf.byteLength).toBeGreaterThan(1000);
    expect(hits).toEqual([]);
    expect(blocked).toEqual(
      expect.arrayContaining([`http://127.0.0.1:${port}/css`, `http://127.0.0.1:${port}/img`]),
    );
  });

  it('renders 10,000 findings', async () => {
    const dir = outDir();
    // A distinct user behind each finding, so rows are not merged by grouping (the deployer's sessions
    // would make one row per rule and account), and 60 rules: more evidence rows than are printed twice.
    const input = syntheticReportInput(10_000, 60, 200);
    input.findings = input.findings.map((f, i) => ({
      ...f,
      principal: `arn:aws:iam::${f.accountId ?? ''}:user/u-${i}`,
    }));
    const result = await writeReport(dir, input, {
      pdf: true,
      paper: 'A4',
      log: silentLogger,
    });

    expect(result.errors).toEqual([]);
    // More rows than are printed twice (each rule capped at its first rows and a grouped table), hundreds of pages.
    expect(evidenceRows(result.model)).toBeGreaterThan(REPAGINATE_MAX_ROWS);
    expect(Number(/Pages:\s+(\d+)/.exec(pdfInfo(join(dir, 'evidence.pdf')))?.[1])).toBeGreaterThan(200);
    expect(readFileSync(join(dir, 'digest.html')).byteLength).toBeLessThan(100 * 1024);
    // Printed once: the contents keep their links and say why there are no page numbers.
    expect(pdfText(join(dir, 'evidence.pdf'))).toContain('Each entry links to its section');
    // How fast is the bench's question (npm run bench); on a loaded machine this can take minutes.
  }, 600_000);
});

describe('digest email in a real browser', () => {
  it('shows hostile values as text: no script runs, no image, no link but the CI run and console links, nothing fetched', async () => {
    const dir = outDir();
    hits = [];
    await writeReport(dir, hostileReportInput(port), { pdf: false, paper: 'A4', log: silentLogger });
    const browser = await puppeteer.launch({ executablePath: browserPath ?? '', args: BROWSER_ARGS });
    try {
      const page = await browser.newPage();
      for (const width of [600, 375]) {
        await page.setViewport({ width, height: 2000 });
        await page.goto(pathToFileURL(join(dir, 'digest.html')).href);
        // A string, not a function: the project compiles without DOM types.
        const seen = (await page.evaluate(`({
          title: document.title,
          text: document.body.innerText,
          scripts: document.querySelectorAll('script').length,
          images: document.querySelectorAll('img').length,
          links: [...document.querySelectorAll('a')].map((a) => a.href),
          overflow: document.documentElement.scrollWidth - window.innerWidth,
        })`)) as {
          title: string;
          text: string;
          scripts: number;
          images: number;
          links: string[];
          overflow: number;
        };
        const v = hostileValues(port);

        expect(seen.title).not.toBe('pwned');
        expect(seen.scripts).toBe(0);
        expect(seen.images).toBe(0);
        // Besides the CI run, only CloudTrail console links built from a plausible region and an encoded id.
        expect(
          seen.links.filter(
            (l) =>
              !/^https:\/\/[a-z0-9-]+\.console\.aws\.amazon\.com\/cloudtrail\/home\?region=[a-z0-9-]+#\/events\/[A-Za-z0-9%._~!*'()-]+$/.test(
                l,
              ),
          ),
        ).toEqual(['https://github.com/acme/audit/actions/runs/42']);
        expect(seen.text).toContain(v.script);
        expect(seen.text).toContain('</mj-text><mj-raw><a href="javascript:alert(1)">click</a></mj-raw>');
        expect(seen.text).toContain(v.image);
        // Narrow clients: the 5,000-character word does not push the layout sideways.
        expect(seen.overflow).toBeLessThanOrEqual(0);
      }
    } finally {
      await browser.close();
    }
    expect(hits).toEqual([]);
  });
});
