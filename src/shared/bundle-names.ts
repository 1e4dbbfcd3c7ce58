// How trailwatch names its own evidence on disk, so that the log walk can tell it from CloudTrail files
// wherever --out points (inside the logs folder included).

/** The file that marks a folder as a trailwatch evidence bundle, which the next run may replace whole. */
export const BUNDLE_MARKER = '.trailwatch-bundle';

/** The hidden working folder, beside --out, in which one run builds its bundle. */
export function partialBundleName(outName: string, runId: string): string {
  return `.${outName}.trailwatch-${runId}.partial`;
}

/** Whether a folder name is a bundle's working folder (one being written, or left by a killed run). */
export function isPartialBundleName(name: string): boolean {
  return /^\..+\.trailwatch-.+\.partial$/.test(name);
}
