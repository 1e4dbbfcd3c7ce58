// Prints the action's outputs (name=value lines for $GITHUB_OUTPUT) from the bundle's findings.json: alerts
// and review items that are not suppressed, whether the audit is complete, and the bundle's absolute path.
// No findings.json (a bad config, a crash): not complete, no counts, and a path only if the folder exists.
// Problems met after findings.json was written (a failed delivery) show in the exit code (TW_EXIT, 2).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const out = resolve(process.argv[2] ?? 'out');
const lines = [];
let doc = null;
try {
  doc = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8'));
} catch {
  doc = null;
}
if (doc) {
  const open = [...doc.findings, ...doc.coverage].filter((f) => !f.suppressed);
  lines.push(`alerts=${open.filter((f) => f.tier === 'alert').length}`);
  lines.push(`review=${open.filter((f) => f.tier === 'review').length}`);
  const exit = process.env.TW_EXIT ?? '';
  lines.push(`complete=${doc.run.complete === true && (exit === '0' || exit === '1')}`);
} else {
  lines.push('alerts=', 'review=', 'complete=false');
}
// A path with a line break would forge more outputs: such a folder is not reported.
lines.push(`bundle-path=${existsSync(out) && !/[\r\n]/.test(out) ? out : ''}`);
process.stdout.write(`${lines.join('\n')}\n`);
