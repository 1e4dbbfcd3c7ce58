import type { Config } from '../config/schema.js';
import { reportInputFromRun, reportPreflight, writeReport } from '../report/index.js';
import type { ReportWriter } from '../scan.js';
import type { Logger } from '../shared/log.js';

/** The digest and evidence writer used by `scan --report`, `demo` and `run`. */
export function reportWriterFor(config: Config, log: Logger): ReportWriter {
  const pdf = {
    pdf: config.report.pdf,
    ...(config.report.browserPath ? { browserPath: config.report.browserPath } : {}),
  };
  const write: ReportWriter = async ({ outDir, doc, rules, findingsSha256, findingList, coverage }) => {
    const input = reportInputFromRun(
      { doc, rules, findingsSha256, ...(coverage ? { coverage } : {}) },
      { maxEventsPerGroup: config.report.maxEventsPerGroup },
    );
    const result = await writeReport(outDir, input, {
      pdf: config.report.pdf,
      ...(config.report.browserPath ? { browserPath: config.report.browserPath } : {}),
      paper: config.report.paper,
      ...(findingList ? { findingList } : {}),
      log,
    });
    return { files: result.files, errors: result.errors, email: result.email, model: result.model };
  };
  write.preflight = () => reportPreflight(pdf);
  return write;
}
