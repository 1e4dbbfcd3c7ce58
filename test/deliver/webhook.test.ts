// The chat ping, posted to a real HTTP server on 127.0.0.1, with the hostile sample in every log field.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { escapeSlack, slackCode, slackLink } from '../../src/deliver/slack-escape.js';
import { postWebhook, webhookText } from '../../src/deliver/webhook.js';
import type { FindingsFile } from '../../src/model.js';
import { hostileFindings } from '../fixtures/hostile.js';
import { makeFinding, sampleReportInput } from '../fixtures/sample-org.js';

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  body: { text: string; unfurl_links: boolean; unfurl_media: boolean };
}

const received: Received[] = [];
let answer = { status: 200, body: 'ok' };
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
      });
      res.writeHead(answer.status, { 'content-type': 'text/plain' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
  answer = { status: 200, body: 'ok' };
});

// Mentions and links as Slack reads them, as an attacker would plant them in a user agent or a role name.
const SLACK_ATTACKS = [
  '<!channel> wake up',
  '<!here|here>',
  '<!everyone>',
  '<@U024BE7LH> look',
  '<!subteam^SAZ94GDB8|security>',
  '<https://evil.example/phish|Open the console>',
  '@channel @here @everyone',
  '*bold* _it_ ~gone~ `code` ```block```',
];

function hostileDoc(): FindingsFile {
  const input = sampleReportInput();
  const hostile = hostileFindings(9).map((f) => ({ ...f, tier: 'alert' as const, novelty: 'new' as const }));
  const slack = SLACK_ATTACKS.map((attack, i) =>
    makeFinding({
      ruleId: 'root-usage',
      tier: 'alert',
      eventId: `evt-slack-${i}`,
      principal: attack,
      summary: `Root signed in from ${attack}`,
      accountId: attack,
      novelty: 'recurring',
    }),
  );
  return {
    run: { ...input.facts, complete: false, ciRunUrl: 'https://github.com/acme/audit/actions/runs/42' },
    findings: [...slack, ...hostile, ...input.findings],
    coverage: input.coverage,
    errors: [{ scope: 'account', id: '123456789012', code: 'assume-role-denied', message: '<!channel>' }],
  };
}

const settings = parseConfig({ deliver: { webhook: { urlEnv: 'TW_TEST_HOOK' } } }).deliver!.webhook!;

/** The text with every code span, link and escaped entity taken out: what Slack would read as markup. */
function markupLeft(text: string): string {
  return text
    .replace(/`[^`\n]*`/g, '')
    .replace(/<https:\/\/github\.com\/acme\/audit\/actions\/runs\/42\|View the run>/g, '')
    .replace(/&(?:amp|lt|gt);/g, '');
}

describe('escapeSlack', () => {
  it('escapes & < > so no link or mention can form, and breaks @channel-style words', () => {
    expect(escapeSlack('<!channel> & <@U1|x> <http://a|b>')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U1|x&gt; &lt;http://a|b&gt;',
    );
    expect(escapeSlack('@channel @Here @everyone @all @channels')).toBe(
      '@\u200Bchannel @\u200BHere @\u200Beveryone @\u200Ball @channels',
    );
  });

  it('keeps a value on one line, clipped, with invisible characters made visible', () => {
    expect(escapeSlack('a\nb\r\n\tc')).toBe('a b c');
    expect(escapeSlack('user\u202Egpj.exe')).toBe('user\\u202egpj.exe');
    expect(escapeSlack('x'.repeat(500), 10)).toBe(`${'x'.repeat(10)}…`);
  });

  it('shows a value as code with no way out of the span, and refuses links that are not plain URLs', () => {
    expect(slackCode('a`b`<!here>')).toBe('`a\u02CBb\u02CB&lt;!here&gt;`');
    expect(slackCode('')).toBe('`-`');
    expect(slackLink('https://x.example/run/1', 'Run')).toBe('<https://x.example/run/1|Run>');
    expect(slackLink('https://x.example/a|<!channel>', 'Run')).toBe('Run');
  });
});

describe('the chat ping', () => {
  it('posts counts, what is new, incompleteness and the run link, every log value inert', async () => {
    const doc = hostileDoc();
    const { facts, error } = await postWebhook(doc, '2026-11-20', settings, {
      env: { TW_TEST_HOOK: `${base}/services/T000/B000/secret` },
    });
    expect(error).toBeUndefined();
    expect(facts).toEqual({ status: 'sent', urlEnv: 'TW_TEST_HOOK', httpStatus: 200 });
    expect(received).toHaveLength(1);
    const [post] = received;
    expect(post?.method).toBe('POST');
    expect(post?.url).toBe('/services/T000/B000/secret');
    expect(post?.contentType).toBe('application/json');
    expect(post?.body.unfurl_links).toBe(false);
    expect(post?.body.unfurl_media).toBe(false);
    const text = post?.body.text ?? '';
    const alerts = doc.findings.filter((f) => f.tier === 'alert' && !f.suppressed).length;
    expect(text).toContain(`${alerts} alerts,`);
    expect(text).toContain('New since the previous days: 3 findings');
    expect(text).toContain('*AUDIT INCOMPLETE*: 1 problem (`assume-role-denied`)');
    expect(text).toContain('<https://github.com/acme/audit/actions/runs/42|View the run>');
    // Nothing Slack would act on is left outside code spans and entities: no <…>, no @channel, no ```.
    const bare = markupLeft(text);
    expect(bare).not.toMatch(/[<>]/);
    expect(bare).not.toMatch(/@(channel|here|everyone)\b/i);
    expect(text).not.toContain('<!');
    expect(text).not.toContain('<@');
    expect(text).not.toContain('```');
    expect(text).not.toMatch(/@(channel|here|everyone)\b/i);
    // Short, whatever the logs hold (the hostile sample has a 10 MB summary).
    expect(text.length).toBeLessThan(4000);
    expect(text.split('\n').length).toBeLessThan(15);
  });

  it.each(SLACK_ATTACKS)('leaves %j inert in every field of an alert line', (attack) => {
    const doc = hostileDoc();
    doc.findings = [
      makeFinding({
        ruleId: attack,
        tier: 'alert',
        principal: attack,
        summary: attack,
        accountId: attack,
        region: attack,
        novelty: 'new',
      }),
    ];
    const text = webhookText(doc, attack);
    expect(markupLeft(text)).not.toMatch(/[<>`]/);
    expect(text).not.toContain('<!');
    expect(text).not.toContain('<@');
    expect(text).not.toContain('<https://evil');
    expect(text).not.toMatch(/@(channel|here|everyone)\b/i);
    // The value is still there for a reader, escaped.
    expect(text).toContain(escapeSlack(attack, 60));
  });

  it('says nothing is new when every finding recurs, and that the audit is complete', () => {
    const doc = hostileDoc();
    doc.findings = doc.findings.map((f) => ({ ...f, novelty: 'recurring' }));
    doc.run.complete = true;
    doc.errors = [];
    const text = webhookText(doc, '2026-11-20');
    expect(text).toContain('Nothing new');
    expect(text).toContain('Audit complete.');
  });

  it('makes a refused post a delivery error that names the variable, never the URL', async () => {
    answer = { status: 404, body: 'no_service' };
    const { facts, error } = await postWebhook(hostileDoc(), '2026-11-20', settings, {
      env: { TW_TEST_HOOK: `${base}/services/T000/B000/secret` },
    });
    expect(facts).toEqual({ status: 'failed', urlEnv: 'TW_TEST_HOOK', httpStatus: 404 });
    expect(error).toMatchObject({ scope: 'delivery', id: 'webhook', code: 'webhook-failed' });
    expect(error?.message).toBe(
      'the chat ping (URL from TW_TEST_HOOK) was not delivered: the endpoint answered HTTP 404',
    );
  });

  it('makes an unreachable endpoint, a missing variable and a plain-http URL delivery errors too', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const messages = [];
    for (const env of [
      { TW_TEST_HOOK: `http://127.0.0.1:${port}/services/secret` },
      {},
      { TW_TEST_HOOK: 'http://hooks.example/services/secret' },
      { TW_TEST_HOOK: 'not a url' },
    ]) {
      const { error } = await postWebhook(hostileDoc(), '2026-11-20', settings, { env });
      expect(error?.code).toBe('webhook-failed');
      messages.push(error?.message ?? '');
    }
    expect(messages.map((m) => m.replace(/^.*delivered: /, ''))).toEqual([
      'the post failed (ECONNREFUSED)',
      'the environment variable TW_TEST_HOOK is not set',
      'an https URL is required (found http: to hooks.example)',
      'the variable does not hold a URL',
    ]);
    for (const m of messages) expect(m).not.toContain('secret');
  });
});
