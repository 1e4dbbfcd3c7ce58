// The chat ping: a short summary of the run (counts, what is new, complete or not, a link to the run) posted
// as `{"text": …}` in Slack mrkdwn to the URL an environment variable holds (a Slack incoming webhook, or any
// endpoint that takes that JSON). The URL is a secret: it is never logged, and only the variable's name is in
// the run's facts. A failed post is a delivery error, never a crash.
import type { Config } from '../config/schema.js';
import type { FindingsFile, WebhookDeliveryFacts } from '../model.js';
import { errorMessage, type RunErrorEntry } from '../shared/errors.js';
import { escapeSlack, slackCode, slackLink } from './slack-escape.js';

/** The `deliver.webhook` settings. */
export type WebhookSettings = NonNullable<NonNullable<Config['deliver']>['webhook']>;

/** Alert lines the ping shows at most (the digest and the evidence hold the rest). */
const MAX_LINES = 5;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The ping's text, Slack mrkdwn: every value from a log is escaped (see slack-escape.ts). */
export function webhookText(doc: FindingsFile, date: string): string {
  const active = doc.findings.filter((f) => !f.suppressed);
  const alerts = active.filter((f) => f.tier === 'alert');
  const review = active.length - alerts.length;
  const coverageAlerts = doc.coverage.filter((c) => !c.suppressed && c.tier === 'alert').length;
  const suppressed = doc.findings.length - active.length;
  const lines = [
    `*trailwatch · ${escapeSlack(doc.run.organization, 80)} · ${escapeSlack(date, 20)}*`,
    `${alerts.length + coverageAlerts > 0 ? ':rotating_light:' : ':white_check_mark:'} ` +
      `${plural(alerts.length, 'alert')}, ${review} to review, ${suppressed} suppressed` +
      (coverageAlerts > 0 ? `; ${plural(coverageAlerts, 'trail coverage alert')}` : ''),
  ];
  const fresh = active.filter((f) => f.novelty === 'new');
  if (fresh.length > 0) {
    const byRule = new Map<string, number>();
    for (const f of fresh) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    const rules = [...byRule].map(([rule, n]) => `${slackCode(rule, 60)} ×${n}`);
    lines.push(`New since the previous days: ${plural(fresh.length, 'finding')} (${rules.join(', ')})`);
  } else if (active.length > 0 && active.every((f) => f.novelty === 'recurring')) {
    lines.push('Nothing new: every finding was seen in the previous days.');
  }
  for (const f of alerts.slice(0, MAX_LINES)) {
    const where = [f.accountId, f.region].filter((v): v is string => Boolean(v)).map((v) => slackCode(v, 40));
    lines.push(
      `• ${slackCode(f.ruleId, 60)} ${f.risk}${f.novelty === 'new' ? ' (new)' : ''}: ${escapeSlack(f.summary, 160)}` +
        (f.principal ? ` — ${slackCode(f.principal, 120)}` : '') +
        (where.length > 0 ? ` in ${where.join(' ')}` : ''),
    );
  }
  if (alerts.length > MAX_LINES) lines.push(`… and ${alerts.length - MAX_LINES} more alerts in the digest`);
  const blocking = doc.errors.filter((e) => e.severity !== 'warning');
  lines.push(
    doc.run.complete
      ? ':white_check_mark: Audit complete.'
      : `:warning: *AUDIT INCOMPLETE*: ${plural(blocking.length, 'problem')} (${[
          ...new Set(blocking.map((e) => e.code)),
        ]
          .slice(0, 5)
          .map((c) => slackCode(c, 60))
          .join(', ')})`,
  );
  const stored = doc.run.delivery?.s3;
  if (stored?.status === 'uploaded') lines.push(`Evidence: ${slackCode(stored.location, 300)}`);
  if (doc.run.ciRunUrl) lines.push(slackLink(doc.run.ciRunUrl, 'View the run'));
  return lines.join('\n');
}

/** Only https, or http to this machine (a test server, a local relay): the URL is a secret in transit. */
function checkUrl(raw: string): URL {
  const url = new URL(raw);
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && local)) return url;
  throw new Error(`an https URL is required (found ${url.protocol} to ${url.hostname})`);
}

/** What posting needs from outside: the environment (default process.env) and a time limit. */
export interface WebhookDeps {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Posts the run's summary to the URL in `settings.urlEnv`. Never throws: a missing variable, a refused or
 * failing post comes back as a delivery error. Nothing of the URL reaches a message (its path is the secret).
 */
export async function postWebhook(
  doc: FindingsFile,
  date: string,
  settings: WebhookSettings,
  deps: WebhookDeps = {},
): Promise<{ facts: WebhookDeliveryFacts; error?: RunErrorEntry }> {
  const facts: WebhookDeliveryFacts = { status: 'failed', urlEnv: settings.urlEnv };
  const fail = (reason: string) => ({
    facts,
    error: {
      scope: 'delivery' as const,
      id: 'webhook',
      code: 'webhook-failed' as const,
      message: `the chat ping (URL from ${settings.urlEnv}) was not delivered: ${reason}`,
    },
  });
  const raw = (deps.env ?? process.env)[settings.urlEnv];
  if (!raw) return fail(`the environment variable ${settings.urlEnv} is not set`);
  let url: URL;
  try {
    url = checkUrl(raw);
  } catch (error) {
    return fail(error instanceof TypeError ? 'the variable does not hold a URL' : errorMessage(error));
  }
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // No link previews: a URL from a log must not make the chat service fetch it.
      body: JSON.stringify({ text: webhookText(doc, date), unfurl_links: false, unfurl_media: false }),
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
    });
    facts.httpStatus = response.status;
    // The answer is read and dropped: Slack's is a short code, another endpoint's could echo anything.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) return fail(`the endpoint answered HTTP ${response.status}`);
    facts.status = 'sent';
    return { facts };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const name = error instanceof Error ? error.name : 'Error';
    return fail(name === 'TimeoutError' ? 'no answer in time' : `the post failed (${cause ?? name})`);
  }
}
