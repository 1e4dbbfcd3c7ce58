import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../src/engine/duckdb.js';
import { usesWindowFunction } from '../../src/engine/window-threads.js';
import { fillRecord } from '../../src/rules/test-cases.js';
import { silentLogger } from '../../src/shared/log.js';

describe('usesWindowFunction', () => {
  it('finds a window function, in any case and spacing', () => {
    expect(
      usesWindowFunction('SELECT lag(eventtime) OVER (PARTITION BY awsregion) FROM cloudtrail_logs'),
    ).toBe(true);
    expect(usesWindowFunction('select row_number() over\n  (order by eventid) from t')).toBe(true);
  });

  it('ignores "over (" in literals, comments and other words', () => {
    expect(usesWindowFunction(`SELECT 'handover (x)' AS a FROM t -- over (`)).toBe(false);
    expect(usesWindowFunction('SELECT rollover (1), count(*) FROM t')).toBe(false);
  });
});

describe('the embedded engine running a query with a window function', () => {
  it('runs it on one thread and gives every other query the configured threads again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tw-window-threads-'));
    try {
      const records = Array.from({ length: 3 }, (_, i) => fillRecord({}, i + 1));
      await writeFile(join(dir, 'day.json'), JSON.stringify({ Records: records }));
      const engine = await openDuckDbEngine({ logs: dir, log: silentLogger, progress: false, threads: 2 });
      try {
        await engine.stage({ since: null, until: null });
        const windowed = await engine.run(
          `SELECT current_setting('threads') AS threads, row_number() OVER (ORDER BY eventid) AS n
           FROM cloudtrail_logs ORDER BY n`,
          [],
        );
        expect(windowed.rows.map((r) => [Number(r.threads), Number(r.n)])).toEqual([
          [1, 1],
          [1, 2],
          [1, 3],
        ]);
        const plain = await engine.run(
          `SELECT current_setting('threads') AS threads, count(*) AS n FROM cloudtrail_logs`,
          [],
        );
        expect(plain.rows.map((r) => [Number(r.threads), Number(r.n)])).toEqual([[2, 3]]);
        // A failing window query gives the threads back too.
        await expect(
          engine.run('SELECT no_such_column, row_number() OVER () FROM cloudtrail_logs', []),
        ).rejects.toThrow();
        const after = await engine.run(`SELECT current_setting('threads') AS threads`, []);
        expect(Number(after.rows[0]?.threads)).toBe(2);
      } finally {
        await engine.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
