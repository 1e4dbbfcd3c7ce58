import type { Config } from '../config/schema.js';
import { writeReport } from '../report/index.js';
import type { ReportWriter } from '../scan.js';
import type { Logger } from '../shared/log.js';

/** The digest and evidence writer used by `scan --report`, `demo` and `run`. */
export function reportWriterFor(config: Config, log: Logger): ReportWriter {
  return async ({ outDir, doc, rules, findingsSha256, coverage }) => {
    const result = await writeReport(
      outDir,
      {
        facts: doc.run,
        findings: doc.findings,
        coverage: doc.coverage,
        ...(doc.coverageSummary ? { coverageSummary: doc.coverageSummary } : {}),
        ...(coverage ? { coverageMatrix: coverage.matrix, accounts: coverage.accounts } : {}),
        errors: doc.errors,
        rules: rules.map((r) => ({
          id: r.id,
          title: r.title,
          tier: r.tier,
          risk: r.risk,
          why: r.why,
          next: r.next,
          references: r.references,
        })),
        findingsSha256,
        generatedAt: new Date().toISOString(),
        options: { maxEventsPerGroup: config.report.maxEventsPerGroup },
      },
      {
        pdf: config.report.pdf,
        ...(config.report.browserPath ? { browserPath: config.report.browserPath } : {}),
        paper: config.report.paper,
        log,
      },
    );
    return { files: result.files, errors: result.errors, email: result.email, model: result.model };
  };
}
