// CloudTrail fields are attacker-controlled. These helpers make a value inert before it reaches a terminal,
// a GitHub Actions log or a CSV cell. (HTML escaping is the template engine's job.)

// C0/C1 control characters, DEL, and the invisible Unicode that can reorder or hide text
// (bidi overrides and isolates, zero-width characters, line/paragraph separators, BOM).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** Replaces control and invisible characters with visible `\uXXXX` escapes. */
export function neutralizeControls(value: string): string {
  return value.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Makes a value safe to print on a terminal or in a GitHub Actions log: no control characters, no escape
 * sequences, and no `::` that a runner would read as a workflow command.
 */
export function safeForTerminal(value: string, maxLength = 2000): string {
  const clipped =
    value.length > maxLength ? `${value.slice(0, maxLength)}…(+${value.length - maxLength})` : value;
  return neutralizeControls(clipped).replace(/::/g, ':\u2236');
}

/** Quotes a CSV cell and defuses spreadsheet formulas (a cell starting with = + - @ tab or CR). */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = neutralizeControls(String(value));
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}
