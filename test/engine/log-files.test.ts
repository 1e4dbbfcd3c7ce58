import { describe, expect, it } from 'vitest';
import { mayHoldWindow } from '../../src/engine/log-files.js';

const key = (day: string) => `/logs/AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/${day}/f.json.gz`;
const window = { since: '2026-11-20T00:00:00Z', until: '2026-11-21T00:00:00Z' };

describe('mayHoldWindow', () => {
  it('keeps the window’s days and one day either side for late or early delivery', () => {
    expect(
      ['2026/11/19', '2026/11/20', '2026/11/21', '2026/11/22'].map((d) => mayHoldWindow(key(d), window)),
    ).toEqual([true, true, true, true]);
  });

  it('skips files whose S3 key is days away from the window', () => {
    expect(mayHoldWindow(key('2026/11/18'), window)).toBe(false);
    expect(mayHoldWindow(key('2026/11/23'), window)).toBe(false);
    expect(mayHoldWindow(key('2025/11/20'), window)).toBe(false);
  });

  it('always reads files outside the S3 layout, and everything when there is no window', () => {
    expect(mayHoldWindow('/logs/loose.json', window)).toBe(true);
    expect(mayHoldWindow(key('2020/01/01'))).toBe(true);
    expect(mayHoldWindow(key('2020/01/01'), { since: null, until: null })).toBe(true);
  });
});
