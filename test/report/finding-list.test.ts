import { describe, expect, it } from 'vitest';
import { FINDING_CSV_COLUMNS, findingsCsv, findingsJsonLines } from '../../src/report/finding-list.js';
import { makeFinding } from '../fixtures/sample-org.js';

/** A minimal RFC 4180 reader: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\r\n').filter((l) => l !== '')) {
    rows.push(
      [...line.matchAll(/"((?:[^"]|"")*)"|(?<=^|,)(?=,|$)/g)].map((m) => (m[1] ?? '').replace(/""/g, '"')),
    );
  }
  return rows;
}

describe('the finding list as CSV and JSON Lines', () => {
  const findings = [
    makeFinding({ ruleId: 'trail-tampering', consoleUrl: 'https://us-east-1.console.aws.amazon.com/x' }),
    makeFinding({
      ruleId: 'iam-change',
      eventIds: ['a', 'b'],
      principal: '=HYPERLINK("http://evil.example","x")',
      userAgent: '+cmd|calc',
      sourceIp: '-1+1',
      errorCode: '@SUM(A1)',
      summary: '\tline\r\nbreak "quoted", comma',
      suppressed: true,
      suppression: { id: 'suppressions[0]', index: 0, reason: 'known', owner: null, expires: '2027-01-31' },
    }),
  ];

  it('writes a header and one row per finding, every cell quoted', () => {
    const rows = parseCsv(findingsCsv(findings));
    expect(rows[0]).toEqual([...FINDING_CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toHaveLength(FINDING_CSV_COLUMNS.length);
    const first = Object.fromEntries(FINDING_CSV_COLUMNS.map((c, i) => [c, rows[1]?.[i]]));
    expect(first).toMatchObject({
      ruleId: 'trail-tampering',
      suppressed: 'false',
      consoleUrl: 'https://us-east-1.console.aws.amazon.com/x',
    });
  });

  it('defuses spreadsheet formulas and control characters from the log', () => {
    const row = Object.fromEntries(
      FINDING_CSV_COLUMNS.map((c, i) => [c, parseCsv(findingsCsv(findings))[2]?.[i]]),
    );
    expect(row.principal).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(row.userAgent).toBe("'+cmd|calc");
    expect(row.sourceIp).toBe("'-1+1");
    expect(row.errorCode).toBe("'@SUM(A1)");
    // A leading tab or CR cannot start a formula or a row: they become visible escapes.
    expect(row.summary).toBe('\\u0009line\\u000d\\u000abreak "quoted", comma');
    expect(row.eventIds).toBe('a b');
    expect(row.suppressionReason).toBe('known');
    for (const cell of Object.values(row)) expect(cell ?? '').not.toMatch(/^[=+\-@\t\r]/);
  });

  it('writes one JSON object per line, identical to the findings', () => {
    const lines = findingsJsonLines(findings).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l) as unknown)).toEqual(findings);
    expect(findingsJsonLines([])).toBe('');
  });
});
