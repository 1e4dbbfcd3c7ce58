import { describe, expect, it } from 'vitest';
import { csvCell, neutralizeControls, safeForTerminal } from '../../src/shared/escape.js';

describe('escaping attacker-controlled values', () => {
  it('turns terminal escape sequences and control characters into visible text', () => {
    expect(safeForTerminal('evil\u001b[2J\u001b]0;title\u0007\r\nnext')).toBe(
      'evil\\u001b[2J\\u001b]0;title\\u0007\\u000d\\u000anext',
    );
  });

  it('shows right-to-left overrides and zero-width characters instead of letting them reorder text', () => {
    expect(neutralizeControls('file\u202Etxt.exe\u200B')).toBe('file\\u202etxt.exe\\u200b');
  });

  it('defuses GitHub workflow commands anywhere in a line', () => {
    const out = safeForTerminal('::add-mask::x and ::set-output name=a::b');
    expect(out).not.toContain('::');
  });

  it('clips very long values and says by how much', () => {
    expect(safeForTerminal('a'.repeat(30), 10)).toBe(`${'a'.repeat(10)}…(+20)`);
  });

  it('quotes CSV cells and defuses spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell(null)).toBe('');
  });
});
