import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../src/engine/duckdb.js';
import { fillRecord } from '../../src/rules/test-cases.js';
import { silentLogger } from '../../src/shared/log.js';

describe('a CloudTrail file larger than the fast read buffer (64 MB)', () => {
  it('is read with the full limit instead of being reported unreadable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tw-large-'));
    try {
      const records = Array.from({ length: 1400 }, (_, i) =>
        fillRecord({ requestParameters: { policy: 'x'.repeat(50_000) } }, i + 1),
      );
      await writeFile(join(dir, 'large.json'), JSON.stringify({ Records: records }));
      await writeFile(join(dir, 'small.json'), JSON.stringify({ Records: [fillRecord({}, 9999)] }));
      const engine = await openDuckDbEngine({ logs: dir, log: silentLogger, progress: false });
      try {
        const result = await engine.stage({ since: null, until: null });
        expect(result.errors).toEqual([]);
        expect(result.events).toBe(1401);
      } finally {
        await engine.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
