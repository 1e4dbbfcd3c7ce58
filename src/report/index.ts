// Renders the report files of a run in memory: digest.html and digest.txt (the email's two parts) and
// evidence.pdf. A missing browser or a failed print is data (a RunErrorEntry the digest itself shows), never
// a crash. Delivery writes them.
import type { FindingGroup } from '../classify/group.js';
import type { RunErrorEntry } from '../shared/errors.js';
import { errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { CoverageSummary, FindingsFile } from '../model.js';
import type { CoverageMatrixCell, DigestModel, DigestRule, ReportInput } from './model/index.js';
import { buildDigestModel, withPdfOutcome } from './model/index.js';
import type { DigestEmail } from './email.js';
import { renderDigestEmail } from './email.js';
import { renderEvidenceHtml } from './evidence.js';
import { evidenceGroupRows, type FindingListHashes } from './evidence-groups.js';
import type { Paper } from './pdf.js';
import { BROWSER_CANDIDATES, findBrowser, printPdf } from './pdf.js';

export type { ReportInput } from './model/index.js';

/** The run as a scan hands it to its report writer (the shape of scan.ts's ReportContext). */
export interface RunForReport {
  doc: FindingsFile;
  /** The classify stage's groups of the document's findings. */
  groups: FindingGroup[];
  rules: readonly DigestRule[];
  findingsSha256: string;
  coverage?: {
    summary?: CoverageSummary;
    matrix?: CoverageMatrixCell[];
    accounts?: { id: string; name: string | null }[];
  };
}

/** Builds the report input from a written run: findings.json's document plus what only the report shows. */
export function reportInputFromRun(
  run: RunForReport,
  options: { maxEventsPerGroup: number; generatedAt?: string },
): ReportInput {
  const input: ReportInput = {
    facts: run.doc.run,
    findings: run.doc.findings,
    groups: run.groups,
    coverage: run.doc.coverage,
    errors: run.doc.errors,
    rules: run.rules.map((r) => ({
      id: r.id,
      title: r.title,
      tier: r.tier,
      risk: r.risk,
      why: r.why,
      next: r.next,
      references: r.references,
      ...(r.grouping ? { grouping: r.grouping } : {}),
    })),
    findingsSha256: run.findingsSha256,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    options: { maxEventsPerGroup: options.maxEventsPerGroup },
  };
  if (run.doc.suppressions) input.suppressions = run.doc.suppressions;
  const summary = run.doc.coverageSummary ?? run.coverage?.summary;
  if (summary) input.coverageSummary = summary;
  if (run.coverage?.matrix) input.coverageMatrix = run.coverage.matrix;
  if (run.coverage?.accounts) input.accounts = run.coverage.accounts;
  return input;
}

/** One file of the evidence bundle, rendered: its path inside the bundle and its bytes. */
export interface RenderedFile {
  name: string;
  bytes: string | Uint8Array;
}

/**
 * How evidence.pdf is printed in this run, decided once (lookUpBrowser): not at all (report.pdf off), with
 * the browser found, or not, for want of one (the reason is an error the run reports).
 */
export type PdfBrowser = { pdf: false } | { pdf: true; path: string } | { pdf: true; missing: RunErrorEntry };

/** How to render the report. */
export interface ReportOptions {
  /** The browser that prints evidence.pdf, looked up once per run (lookUpBrowser). */
  browser: PdfBrowser;
  paper: Paper;
  /** SHA-256 of the bundle's findings.csv and findings.jsonl, printed by the evidence. */
  findingList?: FindingListHashes;
  log: Logger;
}

/** What renderReport made. `email` and `model` are handed on to delivery (SMTP, job summary). */
export interface RenderedReport {
  files: RenderedFile[];
  errors: RunErrorEntry[];
  pdfWritten: boolean;
  email: DigestEmail | null;
  model: DigestModel;
}

/**
 * Up to this many table rows the PDF is printed twice so the table of contents shows page numbers; above it
 * the second print would break the 30-second budget, and the contents keep their links without numbers.
 */
export const REPAGINATE_MAX_ROWS = 4000;

/** The command that installs Chromium on Debian and Ubuntu, quoted in the missing-browser message. */
export const INSTALL_BROWSER_HINT =
  'sudo apt-get install -y chromium || sudo apt-get install -y chromium-browser';

/** How many table rows the evidence holds (findings as printed, matrix rows, gaps). */
export function evidenceRows(model: DigestModel): number {
  return (
    evidenceGroupRows(model) +
    model.matrix.rows.length +
    model.coverage.problems.length +
    model.notAudited.length
  );
}

function missingBrowserMessage(configured: string | undefined): string {
  const where = configured
    ? `report.browserPath (${configured}) is not an executable file`
    : process.env.PUPPETEER_EXECUTABLE_PATH
      ? `PUPPETEER_EXECUTABLE_PATH (${process.env.PUPPETEER_EXECUTABLE_PATH}) is not an executable file`
      : `no Chrome or Chromium found (looked in ${BROWSER_CANDIDATES.slice(0, 4).join(', ')}, …)`;
  return `evidence.pdf was not written: ${where}. Install one (${INSTALL_BROWSER_HINT}) or set report.browserPath or PUPPETEER_EXECUTABLE_PATH. digest.html, digest.txt and findings.json hold the results.`;
}

/**
 * Looks up the browser that prints evidence.pdf (config `report.pdf` and `report.browserPath`;
 * PUPPETEER_EXECUTABLE_PATH and the usual install places come next). Once per run, before anything is
 * rendered, so findings.json can say when there is none (the PDF that would quote its hash will not exist).
 */
export function lookUpBrowser(options: { pdf: boolean; browserPath?: string }): PdfBrowser {
  if (!options.pdf) return { pdf: false };
  const path = findBrowser({ configured: options.browserPath });
  if (path) return { pdf: true, path };
  return {
    pdf: true,
    missing: {
      scope: 'report',
      id: 'evidence.pdf',
      code: 'pdf-browser-missing',
      message: missingBrowserMessage(options.browserPath),
    },
  };
}

/** Whether two run errors say the same thing (the same scope, id and code). */
function sameError(a: RunErrorEntry, b: RunErrorEntry): boolean {
  return a.scope === b.scope && a.id === b.id && a.code === b.code;
}

/**
 * Renders the digest and evidence from `input`, in memory, from one digest model: the PDF prints it, and the
 * digest shows it with the print's outcome added (where the full list is, what went wrong). Browser problems
 * become error entries.
 */
export async function renderReport(input: ReportInput, options: ReportOptions): Promise<RenderedReport> {
  const log = options.log.child({ stage: 'report' });
  const files: RenderedFile[] = [];
  const errors: RunErrorEntry[] = [];
  let pdfWritten = false;
  const { browser } = options;
  const printed = buildDigestModel({ ...input, options: { ...input.options, evidencePath: 'evidence.pdf' } });

  if (browser.pdf && 'missing' in browser) {
    errors.push(browser.missing);
    log.warn('no browser: evidence.pdf not written', { hint: INSTALL_BROWSER_HINT });
  } else if (browser.pdf) {
    const started = Date.now();
    try {
      const findingList = options.findingList ? { findingList: options.findingList } : {};
      const pdf = await printPdf(renderEvidenceHtml(printed, findingList), {
        browserPath: browser.path,
        paper: options.paper,
        title: `${printed.organization} — CloudTrail audit evidence`,
        date: printed.date,
        repaginate:
          evidenceRows(printed) <= REPAGINATE_MAX_ROWS
            ? (pages) => renderEvidenceHtml(printed, { pages, ...findingList })
            : undefined,
      });
      files.push({ name: 'evidence.pdf', bytes: pdf });
      pdfWritten = true;
      log.info('evidence printed', { bytes: pdf.byteLength, seconds: (Date.now() - started) / 1000 });
    } catch (error) {
      errors.push({
        scope: 'report',
        id: 'evidence.pdf',
        code: 'pdf-failed',
        message: `evidence.pdf could not be printed with ${browser.path}: ${errorMessage(error)}`,
      });
      log.error('evidence.pdf could not be printed', { browserPath: browser.path, error });
    }
  }

  // The digest reports what happened to the PDF (a problem the run's errors do not hold yet) and points to
  // what exists.
  const model = withPdfOutcome(printed, {
    written: pdfWritten,
    problems: errors.filter((e) => !input.errors.some((known) => sameError(known, e))),
  });
  let email: DigestEmail | null = null;
  try {
    email = await renderDigestEmail(model);
    files.push({ name: 'digest.html', bytes: email.html }, { name: 'digest.txt', bytes: email.text });
  } catch (error) {
    errors.push({ scope: 'report', id: 'digest.html', code: 'digest-failed', message: errorMessage(error) });
    log.error('digest could not be rendered', { error });
  }
  return { files, errors, pdfWritten, email, model };
}
