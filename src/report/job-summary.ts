// The GitHub Actions job summary: Markdown that GitHub renders with HTML allowed, so every value from a log
// is escaped for both, and `::` is broken so no line can read as a workflow command.
import type { DeliveryFacts } from '../model.js';
import type { DigestGroup, DigestModel } from './model/index.js';

/** Escapes a value for GitHub-flavoured Markdown with inline HTML: entities, Markdown punctuation, `::`. */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/([\\`*_{}[\]()#+\-.!|~:])/g, '\\$1')
    .replace(/\\:\\:/g, '\\:&#8203;\\:');
}

function groupLine(group: DigestGroup): string {
  const e = escapeMarkdown;
  return `| ${e(group.tier)} | ${e(group.risk)} | ${e(group.title)} (${e(group.ruleId)}) | ${group.count} |`;
}

/** Where the evidence went beyond the output folder, one line each. */
function deliveryLines(facts: DeliveryFacts | undefined): string[] {
  const e = escapeMarkdown;
  const lines: string[] = [];
  const s3 = facts?.s3;
  if (s3?.status === 'uploaded') {
    const lock = s3.objectLock
      ? `, Object Lock ${e(s3.objectLock.mode)} until ${e(s3.objectLock.retainUntil.slice(0, 10))}`
      : '';
    lines.push(
      `**Evidence stored:** ${e(s3.location)} (${s3.uploaded} files${lock}${s3.kmsKeyId ? ', SSE-KMS' : ''}).`,
    );
  } else if (s3) {
    lines.push(`**Evidence NOT stored:** ${s3.uploaded} of ${s3.files} files reached ${e(s3.location)}.`);
  }
  const hook = facts?.webhook;
  if (hook) lines.push(`**Chat ping:** ${hook.status === 'sent' ? 'sent' : 'FAILED'} (${e(hook.urlEnv)}).`);
  return lines.length > 0 ? ['', ...lines] : [];
}

/** Renders the job summary Markdown for the digest, and where the evidence was delivered. */
export function renderJobSummary(model: DigestModel, delivered?: DeliveryFacts): string {
  const e = escapeMarkdown;
  const lines: string[] = [];
  lines.push(`## trailwatch — ${e(model.organization)} — ${e(model.date)}`);
  lines.push('');
  lines.push(`**${e(model.subject)}**`);
  lines.push('');
  lines.push(model.complete ? `✅ ${e(model.headline)}` : `⚠️ ${e(model.headline)}`);
  if (model.clean) lines.push('', e(model.cleanLine));
  if (model.firedRules.length > 0) {
    lines.push('', '| Tier | Risk | Rule | Findings |', '| --- | --- | --- | ---: |');
    lines.push(...[...model.alertGroups, ...model.reviewGroups].map(groupLine));
  }
  lines.push(
    '',
    model.coverage.audited
      ? `**Trail coverage:** ${model.coverage.problems.length} problems; ${e(model.coverage.okLine)}.`
      : '**Trail coverage:** not audited in this run (log files only).',
  );
  for (const problem of model.coverage.problems.slice(0, 20)) {
    lines.push(
      `- ${e(problem.checkId)} · ${e(problem.accountName)} (${e(problem.accountId)}) · ${e(problem.region)}`,
    );
  }
  if (model.coverage.problems.length > 20)
    lines.push(`- … ${model.coverage.problems.length - 20} more in the evidence`);
  if (model.notAudited.length > 0) {
    lines.push('', `**Not audited (${model.notAudited.length}):**`);
    for (const item of model.notAudited.slice(0, 20))
      lines.push(`- ${e(item.label)} — ${e(item.code)}: ${e(item.reason)}`);
    if (model.notAudited.length > 20) lines.push(`- … ${model.notAudited.length - 20} more in the evidence`);
  }
  if (model.warnings.length > 0) {
    lines.push('', `**Warnings (${model.warnings.length}):**`);
    for (const item of model.warnings.slice(0, 20))
      lines.push(`- ${e(item.label)} — ${e(item.code)}: ${e(item.reason)}`);
    if (model.warnings.length > 20) lines.push(`- … ${model.warnings.length - 20} more in the evidence`);
  }
  for (const problem of model.reportProblems)
    lines.push('', `**Report:** ${e(problem.code)}: ${e(problem.reason)}`);
  lines.push(...deliveryLines(delivered));
  lines.push(
    '',
    `Suppressed: ${model.counts.suppressed}. Window: ${e(model.facts.window)}. Engine: ${e(model.facts.engine)}, ${model.facts.queriesRun} queries, ${e(model.facts.dataScanned)} scanned, ${e(model.facts.cost)}. Duration: ${e(model.facts.duration)}.`,
  );
  lines.push('');
  return lines.join('\n');
}
