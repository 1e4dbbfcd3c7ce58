import { describe, expect, it } from 'vitest';
import { columnsReadBy } from '../../src/rules/columns.js';
import type { RuleDefinition } from '../../src/rules/types.js';

function rule(sql: string): RuleDefinition {
  return { id: 'x', title: 'x', tier: 'alert', risk: 'high', why: '', next: '', references: [], mitre: [], parameters: [], bind: [], sql, tests: [], file: '', sqlFile: '' };
}

describe('columnsReadBy', () => {
  it('keeps the columns a rule names, including those only read inside CTEs', () => {
    const cols = columnsReadBy([rule("WITH e AS (SELECT eventid, useridentity FROM cloudtrail_logs WHERE eventname = 'x') SELECT e.* FROM e")]);
    expect(cols).toEqual(['useridentity', 'eventname', 'eventid']);
  });

  it('does not count names inside string literals or comments', () => {
    expect(columnsReadBy([rule("SELECT eventid FROM cloudtrail_logs -- tlsdetails\nWHERE errorcode = 'resources'")])).toEqual(['errorcode', 'eventid']);
  });

  it('stages everything when a rule selects all of the table itself', () => {
    expect(columnsReadBy([rule('SELECT * FROM cloudtrail_logs')])).toBeUndefined();
    expect(columnsReadBy([rule('SELECT t.* FROM cloudtrail_logs t WHERE t.eventid IS NULL')])).toBeUndefined();
  });
});
