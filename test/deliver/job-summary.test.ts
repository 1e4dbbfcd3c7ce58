import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeJobSummary } from '../../src/deliver/job-summary.js';
import { renderJobSummary } from '../../src/report/job-summary.js';
import { buildDigestModel } from '../../src/report/model/index.js';
import { sampleReportInput } from '../fixtures/sample-org.js';

describe('writeJobSummary', () => {
  it('appends to the file GitHub names and does nothing elsewhere', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tw-summary-')), 'summary.md');
    writeFileSync(path, 'earlier step\n');
    const markdown = renderJobSummary(buildDigestModel(sampleReportInput()));

    expect(await writeJobSummary(markdown, path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toMatch(/^earlier step\n## trailwatch/);
    expect(await writeJobSummary(markdown, '')).toBe(false);
  });

  it('reads the path from GITHUB_STEP_SUMMARY by default', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tw-summary-')), 'summary.md');
    const before = process.env.GITHUB_STEP_SUMMARY;
    process.env.GITHUB_STEP_SUMMARY = path;
    try {
      expect(await writeJobSummary(renderJobSummary(buildDigestModel(sampleReportInput())))).toBe(true);
    } finally {
      if (before === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = before;
    }
    expect(readFileSync(path, 'utf8')).toContain('## trailwatch');
  });
});
