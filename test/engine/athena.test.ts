import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClientFactory } from '../../src/aws/clients.js';
import { parseConfig } from '../../src/config/load.js';
import { openAthenaEngine, type AthenaEngineOptions } from '../../src/engine/athena.js';
import {
  ATHENA_LIMITS,
  athenaValue,
  failedObject,
  fitToAthenaLimits,
  parseAthenaArray,
  sqlLiteral,
  withStagedRelation,
} from '../../src/engine/athena-sql.js';
import { fillRecord } from '../../src/rules/test-cases.js';
import { silentLogger } from '../../src/shared/log.js';
import { generateOrg, parseSqlLiteral, startFakeAws, type FakeAws } from '../../tools/fake-aws/index.js';
import { createFakeTables } from '../integration/fake-aws/athena-tables.js';
import { fakeDeps } from '../integration/fake-aws/deps.js';

const DAY = { since: '2026-11-20T00:00:00Z', until: '2026-11-21T00:00:00Z' };

describe('sqlLiteral: bound values as Athena ExecutionParameters', () => {
  it('quotes strings and doubles the quotes inside them', () => {
    expect(sqlLiteral('AssumeRole')).toBe("'AssumeRole'");
    expect(sqlLiteral("O'Brien")).toBe("'O''Brien'");
    expect(sqlLiteral("'; DROP TABLE x; --")).toBe("'''; DROP TABLE x; --'");
  });

  it('writes integers as digits, null as NULL and a list as the one comma string it was bound as', () => {
    expect(sqlLiteral(24)).toBe('24');
    expect(sqlLiteral(-3)).toBe('-3');
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral('us-east-1,eu-west-1')).toBe("'us-east-1,eu-west-1'");
  });

  it('refuses what has no safe literal form: arrays, objects, NaN', () => {
    expect(() => sqlLiteral(['a', 'b'])).toThrow(/list/);
    expect(() => sqlLiteral({ a: 1 })).toThrow(/object/);
    expect(() => sqlLiteral(Number.NaN)).toThrow();
  });

  it('round-trips through the fake’s parser, and a bare quote is not a literal', () => {
    for (const value of ["O'Brien", "''", 'x', 7, null])
      expect(parseSqlLiteral(sqlLiteral(value))).toEqual(value);
    expect(() => parseSqlLiteral("O'Brien")).toThrow(/not a SQL literal/);
    expect(() => parseSqlLiteral("'O'Brien'")).toThrow(/not a SQL literal/);
  });
});

describe('engine.athena identifiers in the config', () => {
  it('accepts plain lower-case names and refuses anything that could carry SQL, naming each key', () => {
    expect(
      parseConfig({ engine: { athena: { database: 'cloudtrail_2', stagingDatabase: 'tw_stage' } } }).engine
        .athena,
    ).toMatchObject({
      database: 'cloudtrail_2',
      stagingDatabase: 'tw_stage',
    });
    let problems: string[] = [];
    try {
      parseConfig({
        engine: { athena: { database: 'x"; DROP TABLE y; --', table: 'CloudTrail', stagingDatabase: 'a.b' } },
      });
    } catch (error) {
      problems = (error as { problems?: string[] }).problems ?? [String(error)];
    }
    expect(problems.join('\n')).toMatch(/engine\.athena\.database/);
    expect(problems.join('\n')).toMatch(/engine\.athena\.table/);
    expect(problems.join('\n')).toMatch(/engine\.athena\.stagingDatabase/);
  });
});

describe('result typing', () => {
  it('types cells by ColumnInfo: numbers, booleans, arrays, null, text', () => {
    expect(athenaValue('42', { Name: 'n', Type: 'bigint' })).toBe(42);
    expect(athenaValue('7', { Name: 'n', Type: 'integer' })).toBe(7);
    expect(athenaValue('true', { Name: 'b', Type: 'boolean' })).toBe(true);
    expect(athenaValue('[a, b]', { Name: 'a', Type: 'array' })).toEqual(['a', 'b']);
    expect(athenaValue(undefined, { Name: 'v', Type: 'varchar' })).toBeNull();
    expect(athenaValue('', { Name: 'v', Type: 'varchar' })).toBe('');
    expect(athenaValue('42', { Name: 'v', Type: 'varchar' })).toBe('42');
  });

  it('refuses a number column holding text and an array cell without brackets', () => {
    expect(() => athenaValue('forty', { Name: 'n', Type: 'bigint' })).toThrow(/n \(bigint\)/);
    expect(() => athenaValue('', { Name: 'n', Type: 'bigint' })).toThrow();
    expect(() => parseAthenaArray('a, b')).toThrow(/not an Athena array/);
    expect(parseAthenaArray('[]')).toEqual([]);
  });
});

describe('withStagedRelation', () => {
  it('puts the run’s table in front of a plain SELECT under the name the rule uses', () => {
    expect(withStagedRelation('-- rule: x\nSELECT 1 FROM cloudtrail_logs', '"s"."t"')).toBe(
      '-- rule: x\nWITH cloudtrail_logs AS (SELECT * FROM "s"."t")\nSELECT 1 FROM cloudtrail_logs',
    );
  });

  it('merges with the rule’s own WITH instead of nesting a second one', () => {
    expect(withStagedRelation('WITH a AS (SELECT 1 FROM cloudtrail_logs) SELECT * FROM a', '"s"."t"')).toBe(
      'WITH cloudtrail_logs AS (SELECT * FROM "s"."t"),\na AS (SELECT 1 FROM cloudtrail_logs) SELECT * FROM a',
    );
  });
});

describe("fitToAthenaLimits: Athena's parameter and query length limits", () => {
  const amis = (n: number) => Array.from({ length: n }, (_, i) => `ami-${String(i).padStart(17, '0')}`);
  const sql = "SELECT 1 FROM t WHERE eventtime >= ?\n  AND NOT contains(split(?, ','), imageid)\n  AND x = ?";

  it('leaves a list that fits as one parameter (46 AMIs: a 1,013-character literal)', () => {
    const list = amis(46).join(',');
    expect(sqlLiteral(list).length).toBeLessThanOrEqual(ATHENA_LIMITS.parameterChars);
    expect(fitToAthenaLimits(sql, ['2026-11-20', list, 'y'])).toEqual({
      sql,
      params: ['2026-11-20', list, 'y'],
    });
  });

  it('splits a 60-AMI list into several split() parameters joined with ||, each literal within 1,024', () => {
    const list = amis(60);
    const fitted = fitToAthenaLimits(sql, ['2026-11-20', list.join(','), 'y']);
    expect(fitted.sql).toBe(
      "SELECT 1 FROM t WHERE eventtime >= ?\n  AND NOT contains((split(?, ',') || split(?, ',')), imageid)\n  AND x = ?",
    );
    expect(fitted.params).toHaveLength(4);
    expect(fitted.params[0]).toBe('2026-11-20');
    expect(fitted.params.at(-1)).toBe('y');
    const chunks = fitted.params.slice(1, -1) as string[];
    expect(chunks.flatMap((c) => c.split(','))).toEqual(list);
    for (const chunk of chunks) expect(sqlLiteral(chunk).length).toBeLessThanOrEqual(1024);
  });

  it('refuses, with a message, a long value that is not a list the query splits, and an over-long query', () => {
    expect(() => fitToAthenaLimits('SELECT 1 WHERE x = ?', ['a'.repeat(2000)])).toThrow(
      /parameter 1 is 2002 characters as an Athena literal, over Athena's limit of 1024/,
    );
    expect(() => fitToAthenaLimits(`SELECT 1 WHERE x = '${'a'.repeat(262_144)}'`, [])).toThrow(
      /over Athena's limit of 262144/,
    );
  });

  it('does not count a ? inside a string literal or a comment as a parameter', () => {
    const text = "-- why?\nSELECT '?' AS q WHERE contains(split(?, ','), x)";
    const fitted = fitToAthenaLimits(text, [amis(60).join(',')]);
    expect(fitted.sql).toBe("-- why?\nSELECT '?' AS q WHERE contains((split(?, ',') || split(?, ',')), x)");
  });
});

describe('failedObject: the S3 object a failure reason names', () => {
  it('finds the object URL in a HIVE error and nothing in a reason without one', () => {
    expect(
      failedObject(
        'HIVE_CURSOR_ERROR: IO Error: Input is not a GZIP stream: s3://trail-bucket/AWSLogs/o-x/1/a.json.gz',
      ),
    ).toBe('s3://trail-bucket/AWSLogs/o-x/1/a.json.gz');
    expect(failedObject('Access Denied (Service: Amazon S3; Status Code: 403)')).toBeNull();
    expect(failedObject('HIVE_PATH: s3://trail-bucket/AWSLogs/')).toBeNull();
  });
});

describe('the Athena engine against the fake Athena over HTTP', () => {
  let fake: FakeAws;
  let logs: string;

  beforeAll(async () => {
    logs = await mkdtemp(join(tmpdir(), 'tw-athena-'));
    const folder = join(logs, 'AWSLogs', '111111111111', 'CloudTrail', 'us-east-1', '2026', '11', '20');
    await mkdir(folder, { recursive: true });
    const records = [
      fillRecord({ userIdentity: { type: 'IAMUser', userName: "O'Brien" }, eventName: 'GetUser' }, 1),
      fillRecord({ userIdentity: { type: 'IAMUser', userName: 'alice' }, awsRegion: 'eu-west-1' }, 2),
      fillRecord({ userIdentity: { type: 'IAMUser', userName: 'bob' }, awsRegion: 'ap-south-1' }, 3),
      ...Array.from({ length: 7 }, (_, i) => fillRecord({ eventName: 'ListBuckets' }, 10 + i)),
      // Outside the day: the staging window must leave it out.
      { ...fillRecord({ eventName: 'Late' }, 30), eventTime: '2026-11-21T00:05:00Z' },
    ];
    await writeFile(join(folder, 'events.json'), JSON.stringify({ Records: records }));
    fake = await startFakeAws(generateOrg(1), {
      athena: { buckets: { 'tw-trail': logs }, pollsToFinish: 2 },
    });
    await createFakeTables(fake, {
      bucket: 'tw-trail',
      organizationId: 'o-fake123456',
      accounts: ['111111111111'],
    });
  });

  afterAll(async () => fake.close());
  afterEach(() => {
    fake.faults.length = 0;
    fake.athena!.faults.length = 0;
  });

  function engine(overrides: Partial<AthenaEngineOptions> & { attempts?: number } = {}) {
    const config = parseConfig({
      engine: {
        type: 'athena',
        athena: { pollSeconds: 0.01, queryTimeoutSeconds: 5, outputLocation: 's3://results/tw/' },
      },
    });
    const factory = createClientFactory(
      parseConfig({ aws: {} }).aws!,
      fakeDeps(fake, overrides.attempts ?? 4),
    );
    return openAthenaEngine({
      config: config.engine.athena,
      client: factory.athena(),
      log: silentLogger,
      ...overrides,
    });
  }

  const queriesSince = (n: number) => fake.athena!.queries.slice(n);

  it('stages the window with one CTAS over the raw table, pruned by day and bounded by eventtime', async () => {
    const before = fake.athena!.queries.length;
    const athena = engine({ runId: 'stagetest' });
    const staged = await athena.stage(DAY, ['useridentity', 'awsregion']);
    expect(staged).toMatchObject({ files: 0, filesFailed: 0, events: 10, errors: [] });
    expect(staged.bytesRead).toBeGreaterThanOrEqual(fake.athena!.rawBytes);
    const [ctas, count] = queriesSince(before);
    expect(ctas!.readsRaw).toBe(true);
    expect(ctas!.sql).toMatch(
      /^CREATE TABLE "trailwatch_staging"\."cloudtrail_logs_stagetest"\nWITH \(format = 'PARQUET'/,
    );
    // Both layouts' tables, each pruned by inlined delivery days (the day either side included) and
    // bounded by the bound window.
    expect(ctas!.sql).toContain(
      'FROM "default"."cloudtrail_logs"\nWHERE day >= \'2026/11/19\'\n  AND day <= \'2026/11/22\'',
    );
    expect(ctas!.sql).toContain('\nUNION ALL\nSELECT ');
    expect(ctas!.sql).toContain('FROM "default"."cloudtrail_logs_accounts"\nWHERE day >= \'2026/11/19\'');
    const window = ["'2026-11-20T00:00:00Z'", "'2026-11-21T00:00:00Z'"];
    expect(ctas!.parameters).toEqual([...window, ...window]);
    expect(ctas!.partitionsRead).toEqual(['cloudtrail_logs_accounts:111111111111/us-east-1/2026/11/20']);
    expect(ctas!.outputLocation).toBe('s3://results/tw/');
    expect(staged.queryId).toBe(ctas!.id);
    expect(count!.readsRaw).toBe(false);
    await athena.close();
    const drop = queriesSince(before).at(-1)!;
    expect(drop.sql).toBe('DROP TABLE IF EXISTS `trailwatch_staging`.`cloudtrail_logs_stagetest`');
    expect(drop.state).toBe('SUCCEEDED');
  });

  it('stages nothing from days outside the window (no error, zero events)', async () => {
    const athena = engine();
    const staged = await athena.stage({ since: '2026-10-01T00:00:00Z', until: '2026-10-02T00:00:00Z' });
    expect(staged.events).toBe(0);
    await athena.close();
  });

  it('binds a value with a quote as a literal and finds exactly that user', async () => {
    const athena = engine();
    await athena.stage(DAY);
    const before = fake.athena!.queries.length;
    const sql =
      'SELECT eventid, useridentity.username AS who FROM cloudtrail_logs WHERE useridentity.username = ?';
    const hit = await athena.run(sql, ["O'Brien"]);
    expect(hit.rows).toEqual([{ eventid: '00000000-0000-4000-8000-000000000001', who: "O'Brien" }]);
    expect(queriesSince(before)[0]).toMatchObject({
      parameters: ["'O''Brien'"],
      database: 'trailwatch_staging',
      readsRaw: false,
    });
    expect(hit.stats.queryId).toBe(queriesSince(before)[0]!.id);
    expect(hit.stats.bytesScanned).toBeGreaterThan(0);
    expect((await athena.run(sql, ['OBrien'])).rows).toEqual([]);
    await athena.close();
  });

  it('binds a list as one comma string that split() reads back', async () => {
    const athena = engine();
    await athena.stage(DAY);
    const sql = `SELECT useridentity.username AS who FROM cloudtrail_logs
WHERE NOT contains(split(?, ','), awsregion) ORDER BY 1`;
    expect((await athena.run(sql, ['us-east-1,eu-west-1'])).rows).toEqual([{ who: 'bob' }]);
    expect((await athena.run(sql, ['us-east-1'])).rows).toEqual([{ who: 'alice' }, { who: 'bob' }]);
    await athena.close();
  });

  it('pages through GetQueryResults, skipping the header and typing every column', async () => {
    const athena = engine({ pageSize: 3 });
    await athena.stage(DAY);
    const pagesBefore = fake.stats.byOperation.get('GetQueryResults') ?? 0;
    const { rows } = await athena.run(
      `SELECT eventid, count(*) OVER () AS n, ARRAY[eventid, eventname] AS ids, CAST(NULL AS varchar) AS nothing
FROM cloudtrail_logs ORDER BY eventid`,
      [],
    );
    expect(rows).toHaveLength(10);
    expect((fake.stats.byOperation.get('GetQueryResults') ?? 0) - pagesBefore).toBe(4); // 11 rows by 3
    expect(rows[0]).toEqual({
      eventid: '00000000-0000-4000-8000-000000000001',
      n: 10,
      ids: ['00000000-0000-4000-8000-000000000001', 'GetUser'],
      nothing: null,
    });
    expect(new Set(rows.map((r) => r.eventid)).size).toBe(10);
    await athena.close();
  });

  it('throws the FAILED state’s reason', async () => {
    fake.athena!.faults.push({ match: /boom/, kind: 'fail', reason: 'COLUMN_NOT_FOUND: boom' });
    const athena = engine();
    await expect(athena.run('SELECT boom FROM cloudtrail_logs', [])).rejects.toThrow(
      /FAILED: COLUMN_NOT_FOUND: boom/,
    );
    await expect(athena.run('SELECT no_such_column FROM cloudtrail_logs', [])).rejects.toThrow(
      /FAILED: .*no_such_column/,
    );
    await athena.close();
  });

  it('binds integers as digits; an unquoted string parameter fails the query instead of becoming SQL', async () => {
    const athena = engine();
    const before = fake.athena!.queries.length;
    await expect(athena.run('SELECT 1 AS one WHERE 1 = ?', [1])).resolves.toMatchObject({
      rows: [{ one: 1 }],
    });
    expect(queriesSince(before)[0]!.parameters).toEqual(['1']);
    await athena.close();
    const { AthenaClient, StartQueryExecutionCommand, GetQueryExecutionCommand } =
      await import('@aws-sdk/client-athena');
    const client = new AthenaClient({ region: 'us-east-1', ...fakeDeps(fake) });
    const { QueryExecutionId } = await client.send(
      new StartQueryExecutionCommand({
        QueryString: 'SELECT 1 AS one WHERE 1 = ?',
        ExecutionParameters: ["O'Brien"],
      }),
    );
    let state: string | undefined;
    for (let i = 0; i < 5 && state !== 'FAILED'; i++) {
      const { QueryExecution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId }));
      state = QueryExecution?.Status?.State;
      if (state === 'FAILED') expect(QueryExecution?.Status?.StateChangeReason).toMatch(/not a SQL literal/);
    }
    expect(state).toBe('FAILED');
    client.destroy();
  });

  it('retries a throttled StartQueryExecution, and gives up after the attempts', async () => {
    fake.faults.push({ kind: 'throttle', operation: 'StartQueryExecution', times: 2 });
    const athena = engine({ attempts: 4 });
    await expect(athena.run('SELECT 1 AS one', [])).resolves.toMatchObject({ rows: [{ one: 1 }] });
    fake.faults.length = 0;
    fake.faults.push({ kind: 'throttle', operation: 'GetQueryExecution' });
    await expect(athena.run('SELECT 1 AS one', [])).rejects.toThrow(/Rate exceeded|Throttling/);
    await athena.close();
  });

  it('stops a query that does not finish in time and says so', async () => {
    fake.athena!.faults.push({ match: /forever/, kind: 'hang' });
    const config = parseConfig({ engine: { athena: { pollSeconds: 0.01, queryTimeoutSeconds: 0.3 } } });
    const factory = createClientFactory(parseConfig({ aws: {} }).aws!, fakeDeps(fake));
    const athena = openAthenaEngine({
      config: config.engine.athena,
      client: factory.athena(),
      log: silentLogger,
    });
    const stops = fake.stats.byOperation.get('StopQueryExecution') ?? 0;
    await expect(athena.run('SELECT 1 AS forever', [])).rejects.toThrow(
      /did not finish within 0.3 s; stopped/,
    );
    expect((fake.stats.byOperation.get('StopQueryExecution') ?? 0) - stops).toBe(1);
    expect(fake.athena!.queries.at(-1)).toMatchObject({ stopped: true, state: 'CANCELLED' });
    await athena.close();
  });

  it('stops the running query when the run is aborted', async () => {
    fake.athena!.faults.push({ match: /forever/, kind: 'hang' });
    const controller = new AbortController();
    const athena = engine({ signal: controller.signal });
    const running = athena.run('SELECT 2 AS forever', []);
    // Abort once Athena has the query (a fixed delay can fire before StartQueryExecution on a busy machine).
    await vi.waitFor(() => expect(fake.athena!.queries.at(-1)?.sql).toMatch(/forever/), {
      timeout: 30_000,
    });
    controller.abort();
    await expect(running).rejects.toThrow(/aborted; stopped/);
    expect(fake.athena!.queries.at(-1)).toMatchObject({ stopped: true, state: 'CANCELLED' });
    await athena.close();
  });

  it('refuses a result page whose rows do not match the columns, and a truncated page', async () => {
    fake.athena!.faults.push({ match: /shortrows/, kind: 'bad-page' });
    const athena = engine({ pageSize: 2 });
    await expect(
      athena.run('SELECT eventid, eventname AS shortrows FROM "default".cloudtrail_logs_accounts', []),
    ).rejects.toThrow(/has 1 values for 2 columns/);
    fake.faults.push({ kind: 'malformed', operation: 'GetQueryResults' });
    await expect(athena.run('SELECT 1 AS one', [])).rejects.toThrow();
    await athena.close();
  });

  it('answers the audit role’s credentials with AccessDenied: Athena is the runner’s', async () => {
    const factory = createClientFactory(parseConfig({ aws: {} }).aws!, fakeDeps(fake));
    const audit = factory.forAccount(fake.org.accounts[0]!.id);
    const { AthenaClient, StartQueryExecutionCommand } = await import('@aws-sdk/client-athena');
    const client = new AthenaClient({
      region: 'us-east-1',
      endpoint: fake.endpoint,
      credentials: audit.credentials,
    });
    await expect(client.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' }))).rejects.toThrow(
      /not authorized/,
    );
    client.destroy();
    audit.destroy();
  });

  it('logs, but does not throw, when dropping the staging table fails', async () => {
    const athena = engine();
    await athena.stage(DAY);
    fake.athena!.faults.push({
      match: /^DROP TABLE/,
      kind: 'fail',
      reason: 'AccessDenied: glue:DeleteTable',
    });
    await expect(athena.close()).resolves.toBeUndefined();
    expect(fake.athena!.queries.at(-1)).toMatchObject({ state: 'FAILED' });
  });
});
