import { describe, expect, it } from 'vitest';
import { countPlaceholders, maskSql } from '../../src/shared/sql-text.js';

describe('SQL text helpers', () => {
  it('counts only real placeholders, not those in literals, quoted identifiers or comments', () => {
    const sql = "SELECT \"a?b\" FROM t -- why?\nWHERE x = ? AND y = 'it''s ?' /* ? */ AND z = ?";
    expect(countPlaceholders(sql)).toBe(2);
  });

  it('masks literals and comments in place, keeping offsets and, on request, quoted identifiers', () => {
    const sql = "SELECT \"eventname\", 'eventsource' FROM t -- eventid";
    const masked = maskSql(sql, { keepIdentifiers: true });
    expect(masked).toHaveLength(sql.length);
    expect(masked).toContain('"eventname"');
    expect(masked).not.toContain('eventsource');
    expect(masked).not.toContain('eventid');
    expect(maskSql(sql)).not.toContain('eventname');
  });
});
