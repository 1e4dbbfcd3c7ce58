// The full finding list in the two shapes spreadsheets and log pipelines read: CSV (every cell quoted, formulas
// defused, control characters made visible, since the values come from the log) and JSON Lines (one finding per
// line, exactly as findings.json holds it).
import type { Finding } from '../model.js';
import { csvCell } from '../shared/escape.js';

/** The CSV columns, in order: findings.json's field names. */
export const FINDING_CSV_COLUMNS = [
  'ruleId',
  'tier',
  'risk',
  'suppressed',
  'suppressionReason',
  'suppressionExpires',
  'eventTime',
  'accountId',
  'region',
  'eventSource',
  'eventName',
  'principal',
  'sourceIp',
  'userAgent',
  'errorCode',
  'eventId',
  'eventIds',
  'summary',
  'consoleUrl',
] as const;

type Column = (typeof FINDING_CSV_COLUMNS)[number];

function cellValue(f: Finding, column: Column): string | boolean | null {
  switch (column) {
    case 'suppressionReason':
      return f.suppression?.reason ?? null;
    case 'suppressionExpires':
      return f.suppression?.expires ?? null;
    case 'eventIds':
      return f.eventIds ? f.eventIds.join(' ') : null;
    case 'consoleUrl':
      return f.consoleUrl ?? null;
    default:
      return f[column];
  }
}

/** The findings as CSV (RFC 4180, CRLF line ends, a header row). */
export function findingsCsv(findings: readonly Finding[]): string {
  const rows = [FINDING_CSV_COLUMNS.map((c) => csvCell(c)).join(',')];
  for (const f of findings) rows.push(FINDING_CSV_COLUMNS.map((c) => csvCell(cellValue(f, c))).join(','));
  return `${rows.join('\r\n')}\r\n`;
}

/** The findings as JSON Lines: one JSON object per line. */
export function findingsJsonLines(findings: readonly Finding[]): string {
  return findings.map((f) => `${JSON.stringify(f)}\n`).join('');
}
