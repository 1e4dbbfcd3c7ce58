// The render stage of a run: every file of the evidence bundle, in memory, from the run as it stands.
// findings.json is rendered first and its bytes hashed here, so the evidence can quote the hash; problems met
// after it (a PDF that could not be printed) are added to the run and listed by the manifest.
import type { Config } from '../config/schema.js';
import type { FindingGroup } from '../classify/group.js';
import type { History } from '../classify/history.js';
import { HISTORY_FILE } from '../classify/history.js';
import { findingsDocument, type AuditRun, type RuleRun } from '../model.js';
import type { RuleDefinition } from '../rules/types.js';
import { sha256 } from '../shared/hash.js';
import type { Logger } from '../shared/log.js';
import type { CoverageInput } from '../trails/coverage.js';
import { orgSnapshotText } from '../trails/snapshot.js';
import { renderCoverageFiles } from './coverage-files.js';
import type { DigestEmail } from './email.js';
import { findingsCsv, findingsJsonLines } from './finding-list.js';
import { lookUpBrowser, renderReport, reportInputFromRun, type RenderedFile } from './index.js';
import type { DigestModel } from './model/index.js';
import { toOcsfFindings } from './ocsf.js';

/** The rendered run: the bundle's files, the digest to send, and where the late problems start. */
export interface RenderedRun {
  files: RenderedFile[];
  /** The digest email (null when it could not be rendered; absent when no digest was asked for). */
  email?: DigestEmail | null;
  model?: DigestModel;
  /** How many of the run's errors findings.json holds: the ones after it are for the manifest to list. */
  errorsInFindings: number;
}

/** What rendering takes besides the run: the catalogue, the coverage, the history to carry forward. */
export type RenderInput = {
  rules: readonly RuleDefinition[];
  coverage: CoverageInput | undefined;
  /** The classify stage's finding groups, and its history, carried forward into this bundle for the next run. */
  classified: { groups: FindingGroup[]; next: History };
} & (
  | {
      /** The evidence bundle: findings.json and the rest. */
      output: 'bundle';
      /** Render the digest and the evidence PDF too (`scan` without --report renders only the data files). */
      report: boolean;
      config: Pick<Config, 'report'>;
      /** The run's clock: when the report is generated. */
      clock: () => Date;
    }
  | { /** `coverage`: the org snapshot and coverage.json alone. */ output: 'coverage-files' }
);

/** The exact SQL a rule ran, with its bound parameters, as queries/<rule id>.sql holds it. */
function queryFile(run: RuleRun): RenderedFile {
  const header = [
    `-- rule: ${run.ruleId} (${run.status})`,
    `-- parameters, in order: ${JSON.stringify(run.parameters)}`,
    ...(run.queryId ? [`-- query id: ${run.queryId}`] : []),
  ];
  // Rule ids are kebab-case (validated), so they are safe file names.
  return { name: `queries/${run.ruleId}.sql`, bytes: `${header.join('\n')}\n${run.sql}` };
}

/** The files of a run that audits coverage alone: nothing after them to list, no digest. */
function renderCoverageOnly(run: AuditRun, coverage: CoverageInput | undefined): RenderedRun {
  // A coverage run always has a coverage audit: without one there is nothing to write (a bug, not an input).
  if (!coverage) throw new Error('a coverage run was started without a coverage source');
  return { files: renderCoverageFiles(run, coverage), errorsInFindings: run.errors.length };
}

/** Renders every file of the run's bundle (or coverage files) in memory. Report problems are added to `run.errors`. */
export async function renderRun(
  run: AuditRun,
  input: RenderInput,
  deps: { log: Logger },
): Promise<RenderedRun> {
  const { log } = deps;
  if (input.output === 'coverage-files') return renderCoverageOnly(run, input.coverage);
  const settings = input.config.report;
  // The browser is looked up once: a missing one is known before rendering, and findings.json says it.
  const browser = input.report ? lookUpBrowser(settings) : { pdf: false as const };
  const known = browser.pdf && 'missing' in browser ? [browser.missing] : [];
  run.errors.push(...known);
  const doc = findingsDocument(run);
  const errorsInFindings = run.errors.length;
  const findingsJson = `${JSON.stringify(doc, null, 2)}\n`;
  const csv = findingsCsv(doc.findings);
  const jsonl = findingsJsonLines(doc.findings);
  const files: RenderedFile[] = [
    { name: 'findings.json', bytes: findingsJson },
    { name: 'findings.ocsf.json', bytes: `${JSON.stringify(toOcsfFindings(doc, input.rules), null, 2)}\n` },
    { name: 'findings.csv', bytes: csv },
    { name: 'findings.jsonl', bytes: jsonl },
    ...(input.coverage
      ? [{ name: 'org-snapshot.json', bytes: orgSnapshotText(input.coverage.snapshot) }]
      : []),
    ...doc.run.rules.map(queryFile),
    { name: HISTORY_FILE, bytes: `${JSON.stringify(input.classified.next)}\n` },
  ];
  if (!input.report) return { files, errorsInFindings };
  const report = await renderReport(
    reportInputFromRun(
      {
        doc,
        groups: input.classified.groups,
        rules: input.rules,
        findingsSha256: sha256(findingsJson),
        ...(input.coverage ? { coverage: input.coverage } : {}),
      },
      { maxEventsPerGroup: settings.maxEventsPerGroup, generatedAt: input.clock().toISOString() },
    ),
    {
      browser,
      paper: settings.paper,
      findingList: { csv: sha256(csv), jsonl: sha256(jsonl) },
      log,
    },
  );
  // Report problems (e.g. a print that failed) come after findings.json (whose hash the evidence quotes)
  // was rendered: they are said in manifest.json and on the terminal, and make the run incomplete.
  run.errors.push(
    ...report.errors.filter(
      (e) => !known.some((k) => k.scope === e.scope && k.id === e.id && k.code === e.code),
    ),
  );
  return { files: [...files, ...report.files], email: report.email, model: report.model, errorsInFindings };
}
