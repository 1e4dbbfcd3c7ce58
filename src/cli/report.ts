import type { Config } from '../config/schema.js';
import type { ReportWriter } from '../scan.js';
import type { Logger } from '../shared/log.js';

/** The digest and evidence writer for `scan --report` and `demo`. */
export function reportWriterFor(config: Config, log: Logger): ReportWriter {
  void config;
  void log;
  return async () => ({
    files: [],
    errors: [
      {
        scope: 'report',
        id: 'digest',
        code: 'report-unavailable',
        message: 'the digest renderer is not built yet',
      },
    ],
  });
}
