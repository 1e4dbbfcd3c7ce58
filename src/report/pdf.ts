// Prints the evidence HTML to PDF with an installed Chrome or Chromium through puppeteer-core. puppeteer never
// downloads a browser here; the page loads nothing from anywhere (every request but the document is aborted,
// JavaScript is off, and the document carries a Content-Security-Policy of its own).
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { Browser, HTTPRequest } from 'puppeteer-core';
import { loadTemplate } from './templates.js';

/** Paper sizes the evidence is printed on. */
export type Paper = 'A4' | 'Letter';

/** Where Chrome and Chromium are usually installed, checked in this order. */
export const BROWSER_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Chromium flags: no sandbox (CI runs as root), no shared-memory exhaustion, and no calls home. */
export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-extensions',
  '--disable-default-apps',
  '--mute-audio',
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds a browser: the configured path, then PUPPETEER_EXECUTABLE_PATH, then the usual install places.
 * A configured path that does not exist is not silently replaced by another browser: it returns null.
 */
export function findBrowser(
  options: { configured?: string; env?: NodeJS.ProcessEnv; candidates?: string[] } = {},
): string | null {
  const env = options.env ?? process.env;
  if (options.configured) return isExecutable(options.configured) ? options.configured : null;
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : null;
  for (const candidate of options.candidates ?? BROWSER_CANDIDATES) {
    if (isExecutable(candidate)) return candidate;
  }
  // Then the same names anywhere on PATH (e.g. /usr/local/bin), as scripts/setup.sh looks for them.
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of BROWSER_NAMES) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

/** Browser executable names looked up on PATH. */
export const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** How to print. */
export interface PrintOptions {
  browserPath: string;
  paper: Paper;
  /** Shown in the page header (the organization and the document's name). */
  title: string;
  /** Shown in the page header (the audited day). */
  date: string;
  /** Stop waiting after this long (default 10 minutes: a large day on a busy runner is slow, not broken). */
  timeoutMs?: number;
  /** Called with the URL of every request the page attempted (all are aborted but the document). */
  onBlockedRequest?: (url: string) => void;
  /**
   * Given the page number of each `#id` the first print found, returns the HTML to print again (used to
   * put page numbers into the table of contents). Returning null keeps the first print.
   */
  repaginate?: (pages: Record<string, number>) => string | null;
}

const PRINT_TIMEOUT_MS = 600_000;

// Header and footer templates are filled by Handlebars like everything else: the title is escaped.
const HEADER =
  '<div class="tw-h" style="font-size:7.5pt;width:100%;padding:0 14mm;color:#57606a;display:flex;font-family:sans-serif"><span style="flex:1">{{title}}</span><span>{{date}}</span></div>';
const FOOTER =
  '<div class="tw-f" style="font-size:7.5pt;width:100%;padding:0 14mm;color:#57606a;display:flex;font-family:sans-serif"><span style="flex:1">trailwatch evidence · {{title}}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>';

/** Prints `html` to PDF bytes. Throws when the browser cannot start or the print fails; writeReport catches. */
export async function printPdf(html: string, options: PrintOptions): Promise<Uint8Array> {
  const profile = mkdtempSync(join(tmpdir(), 'trailwatch-chromium-'));
  let browser: Browser | null = null;
  try {
    browser = await puppeteer.launch({
      executablePath: options.browserPath,
      headless: true,
      args: [...BROWSER_ARGS, `--user-data-dir=${profile}`],
      timeout: options.timeoutMs ?? PRINT_TIMEOUT_MS,
      protocolTimeout: options.timeoutMs ?? PRINT_TIMEOUT_MS,
    });
    const page = await browser.newPage();
    // Nothing the document says may run or load: its content comes from attacker-controlled logs.
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request: HTTPRequest) => {
      const url = request.url();
      if (request.isNavigationRequest() && request.frame() === page.mainFrame() && url === 'about:blank') {
        void request.continue();
        return;
      }
      options.onBlockedRequest?.(url);
      void request.abort('blockedbyclient');
    });
    const headerTemplate = loadTemplate('inline:header', { source: HEADER })(options);
    const footerTemplate = loadTemplate('inline:footer', { source: FOOTER })(options);
    const print = async (document: string): Promise<Uint8Array> => {
      await page.setContent(document, { waitUntil: 'load', timeout: options.timeoutMs ?? PRINT_TIMEOUT_MS });
      return page.pdf({
        format: options.paper,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate,
        footerTemplate,
        preferCSSPageSize: false,
        margin: { top: '18mm', bottom: '14mm', left: '0', right: '0' },
        timeout: options.timeoutMs ?? PRINT_TIMEOUT_MS,
        // A tagged PDF doubles the print time and grows the file tenfold on large tables (measured: 10,000
        // findings, 21 s and 33 MB tagged against 10 s and 3.5 MB untagged), so evidence is untagged.
        tagged: false,
        outline: false,
      });
    };
    const first = await print(html);
    if (!options.repaginate) return first;
    const pages = destinationPages(first);
    const again = Object.keys(pages).length > 0 ? options.repaginate(pages) : null;
    return again === null ? first : await print(again);
  } finally {
    await browser?.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Reads Chromium's named destinations (one per `id` linked from the document) and returns the 1-based page
 * each lands on. Skia writes the catalog, the page tree and `/Dests` as plain objects; anything unexpected
 * gives an empty answer and the table of contents simply goes without page numbers.
 */
export function destinationPages(pdf: Uint8Array): Record<string, number> {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const objects = new Map<number, string>();
  const objectPattern = /(?:^|[\r\n])(\d+) 0 obj\s*(<<[\s\S]*?)(?:stream|endobj)/g;
  for (const match of text.matchAll(objectPattern)) objects.set(Number(match[1]), match[2] ?? '');
  const catalog = [...objects.values()].find((body) => /\/Type\s*\/Catalog\b/.test(body));
  const pagesRef = catalog?.match(/\/Pages\s+(\d+)\s+0\s+R/)?.[1];
  const destsRef = catalog?.match(/\/Dests\s+(\d+)\s+0\s+R/)?.[1];
  if (!pagesRef || !destsRef) return {};
  const order: number[] = [];
  const walk = (id: number, depth: number) => {
    const body = objects.get(id);
    if (!body || depth > 32) return;
    if (/\/Type\s*\/Pages\b/.test(body)) {
      const kids = body.match(/\/Kids\s*\[([^\]]*)\]/)?.[1] ?? '';
      for (const kid of kids.matchAll(/(\d+)\s+0\s+R/g)) walk(Number(kid[1]), depth + 1);
    } else if (/\/Type\s*\/Page\b/.test(body)) {
      order.push(id);
    }
  };
  walk(Number(pagesRef), 0);
  const pageIndex = new Map(order.map((id, index) => [id, index + 1]));
  const result: Record<string, number> = {};
  for (const dest of (objects.get(Number(destsRef)) ?? '').matchAll(/\/([^\s[/]+)\s*\[\s*(\d+)\s+0\s+R/g)) {
    const page = pageIndex.get(Number(dest[2]));
    if (dest[1] && page) result[dest[1]] = page;
  }
  return result;
}
