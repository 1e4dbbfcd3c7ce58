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

describe('columnsReadBy and struct sub-fields', () => {
  it('lists the sub-fields of a struct column every rule reads only through them, under any alias or quoting', () => {
    const cols = columnsReadBy([
      rule('SELECT coalesce(useridentity.arn, "useridentity".principalid) FROM cloudtrail_logs'),
      rule("SELECT t.useridentity . sessioncontext.sessionissuer.arn FROM cloudtrail_logs t WHERE useridentity.type = 'Root'"),
    ]);
    expect(cols).toEqual([
      'useridentity',
      'useridentity.arn',
      'useridentity.principalid',
      'useridentity.sessioncontext.sessionissuer.arn',
      'useridentity.type',
    ]);
  });

  it('keeps a struct whole when any rule names it on its own', () => {
    const cols = columnsReadBy([
      rule('SELECT useridentity.arn FROM cloudtrail_logs'),
      rule('SELECT to_json(useridentity) AS who FROM cloudtrail_logs'),
    ]);
    expect(cols).toEqual(['useridentity']);
  });

  it('does not take a longer name or a string for the struct', () => {
    expect(columnsReadBy([rule("SELECT my_useridentity.arn, eventid FROM cloudtrail_logs WHERE x = 'useridentity.type'")])).toEqual(['eventid']);
  });
});

describe('columnsReadBy and whole rows', () => {
  const root = rule("SELECT eventid FROM cloudtrail_logs WHERE useridentity.type = 'Root'");

  it('keeps a struct whole when a rule calls a method on it or on one of its sub-fields', () => {
    expect(columnsReadBy([root, rule('SELECT useridentity.to_json() AS v FROM cloudtrail_logs')])).toEqual(['useridentity', 'eventid']);
    expect(columnsReadBy([root, rule('SELECT useridentity.arn.lower() AS v FROM cloudtrail_logs')])).toEqual(['useridentity', 'eventid']);
  });

  it('stages everything when a rule reads whole rows: any SELECT * of the table, COLUMNS(), or the row as a value', () => {
    for (const sql of [
      'SELECT * FROM "cloudtrail_logs"',
      'SELECT * FROM main.cloudtrail_logs',
      'SELECT * EXCLUDE (eventid) FROM cloudtrail_logs',
      'SELECT count(*) FROM (FROM cloudtrail_logs)',
      "SELECT to_json(COLUMNS('^user')) FROM cloudtrail_logs",
      'SELECT to_json(cloudtrail_logs) FROM cloudtrail_logs',
      "SELECT eventid, to_json(t) AS j FROM cloudtrail_logs t WHERE t.useridentity.type = 'Root'",
    ]) {
      expect(columnsReadBy([root, rule(sql)]), sql).toBeUndefined();
    }
  });

  it('still stages only the named columns for a star beside them or a qualified, joined read (rows are read by their output names)', () => {
    expect(columnsReadBy([root, rule('SELECT *, 1 AS one FROM cloudtrail_logs')])).toEqual(['useridentity', 'eventid', 'useridentity.type']);
    expect(
      columnsReadBy([root, rule('SELECT t.eventid FROM cloudtrail_logs AS t JOIN x ON t.eventid = x.id WHERE t.eventname IS NOT NULL')]),
    ).toEqual(['useridentity', 'eventname', 'eventid', 'useridentity.type']);
  });
});
