// The GitHub Actions job summary's delivery: the Markdown rendered by report/job-summary.ts, appended to the
// file GITHUB_STEP_SUMMARY names.
import { appendFile } from 'node:fs/promises';
import { errorMessage, type RunErrorEntry } from '../shared/errors.js';

/**
 * Appends the rendered job summary (Markdown) to the file GitHub names. Without a path (not on GitHub
 * Actions) it does nothing and returns false; a path that cannot be appended to (a folder, no permission) is a delivery error, returned.
 */
export async function writeJobSummary(
  markdown: string,
  path: string | undefined = process.env.GITHUB_STEP_SUMMARY,
): Promise<boolean | RunErrorEntry> {
  if (!path) return false;
  try {
    await appendFile(path, markdown, 'utf8');
    return true;
  } catch (error) {
    return {
      scope: 'delivery',
      id: 'job-summary',
      code: 'job-summary-not-written',
      message: `the job summary could not be written to GITHUB_STEP_SUMMARY (${path}): ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`,
    };
  }
}
