// Writes the report files of a run: digest.html and digest.txt (the email's two parts) and evidence.pdf.
// A missing browser or a failed print is data (a RunErrorEntry the digest itself shows), never a crash.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunErrorEntry } from '../shared/errors.js';
import { errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { CoverageSummary, FindingsFile } from '../model.js';
import type { CoverageMatrixCell, DigestModel, DigestRule, ReportInput } from './model/index.js';
import { buildDigestModel } from './model/index.js';
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

/** How to write the report. */
export interface WriteReportOptions {
  /** Print evidence.pdf (config `report.pdf`). */
  pdf: boolean;
  /** Config `report.browserPath`; PUPPETEER_EXECUTABLE_PATH and the usual install places come next. */
  browserPath?: string;
  paper: Paper;
  /** SHA-256 of the bundle's findings.csv and findings.jsonl, printed by the evidence. */
  findingList?: FindingListHashes;
  log: Logger;
}

/** What writeReport did. `email` and `model` are handed on to delivery (SMTP, job summary). */
export interface WriteReportResult {
  files: string[];
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
 * What is already known to fail before anything is rendered: no browser for the PDF. Run first, so
 * findings.json can say it (the PDF that would quote its hash will not exist).
 */
export function reportPreflight(options: Pick<WriteReportOptions, 'pdf' | 'browserPath'>): RunErrorEntry[] {
  if (!options.pdf || findBrowser({ configured: options.browserPath })) return [];
  return [
    {
      scope: 'report',
      id: 'evidence.pdf',
      code: 'pdf-browser-missing',
      message: missingBrowserMessage(options.browserPath),
    },
  ];
}

/** Renders the digest and evidence from `input` into `outDir`. Browser problems become error entries. */
export async function writeReport(
  outDir: string,
  input: ReportInput,
  options: WriteReportOptions,
): Promise<WriteReportResult> {
  const log = options.log.child({ stage: 'report' });
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  const errors: RunErrorEntry[] = [];
  let pdfWritten = false;

  if (options.pdf) {
    const browserPath = findBrowser({ configured: options.browserPath });
    if (!browserPath) {
      errors.push(...reportPreflight(options));
      log.warn('no browser: evidence.pdf not written', { hint: INSTALL_BROWSER_HINT });
    } else {
      const started = Date.now();
      const model = buildDigestModel({
        ...input,
        options: { ...input.options, evidencePath: 'evidence.pdf' },
      });
      try {
        const findingList = options.findingList ? { findingList: options.findingList } : {};
        const pdf = await printPdf(renderEvidenceHtml(model, findingList), {
          browserPath,
          paper: options.paper,
          title: `${model.organization} — CloudTrail audit evidence`,
          date: model.date,
          repaginate:
            evidenceRows(model) <= REPAGINATE_MAX_ROWS
              ? (pages) => renderEvidenceHtml(model, { pages, ...findingList })
              : undefined,
        });
        const path = join(outDir, 'evidence.pdf');
        await writeFile(path, pdf);
        files.push(path);
        pdfWritten = true;
        log.info('evidence written', { path, bytes: pdf.byteLength, seconds: (Date.now() - started) / 1000 });
      } catch (error) {
        errors.push({
          scope: 'report',
          id: 'evidence.pdf',
          code: 'pdf-failed',
          message: `evidence.pdf could not be printed with ${browserPath}: ${errorMessage(error)}`,
        });
        log.error('evidence.pdf could not be printed', { browserPath, error });
      }
    }
  }

  // The digest is built last so that it reports what happened to the PDF and points to what exists.
  const model = buildDigestModel({
    ...input,
    errors: [...input.errors, ...errors],
    options: { ...input.options, evidencePath: pdfWritten ? 'evidence.pdf' : 'findings.json' },
  });
  let email: DigestEmail | null = null;
  try {
    email = await renderDigestEmail(model);
    const htmlPath = join(outDir, 'digest.html');
    const textPath = join(outDir, 'digest.txt');
    await writeFile(htmlPath, email.html);
    await writeFile(textPath, email.text);
    files.push(htmlPath, textPath);
  } catch (error) {
    errors.push({ scope: 'report', id: 'digest.html', code: 'digest-failed', message: errorMessage(error) });
    log.error('digest could not be rendered', { error });
  }
  return { files, errors, pdfWritten, email, model };
}
