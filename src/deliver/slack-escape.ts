// Slack mrkdwn is markup: `<…>` makes links and mentions (`<!channel>`, `<!here>`, `<@U0123>`, `<!subteam^S1>`,
// `<https://evil|click here>`), `*_~` and backticks format, and a bare `@channel` can still page a room through
// other chat tools that read the same payload. Every value that comes from a log (CloudTrail fields are
// attacker-controlled) goes through here before it reaches a chat message.
import { neutralizeControls } from '../shared/escape.js';

/** Slack's three control characters, as Slack's own docs say to escape them. */
function escapeEntities(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Makes a value inert plain text for Slack mrkdwn: invisible and control characters made visible, one line,
 * clipped to `max` characters, `& < >` escaped (so no link or `<!…>`/`<@…>` mention can form), the
 * `@channel`/`@here`/`@everyone` words broken with a zero-width space so no tool turns them into a ping, and
 * no backtick.
 */
export function escapeSlack(value: string, max = 200): string {
  const oneLine = neutralizeControls(value.replace(/\s+/g, ' ').trim());
  const clipped = oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
  return (
    escapeEntities(clipped)
      .replace(/@(?=(?:channel|here|everyone|all)\b)/gi, '@\u200B')
      // A backtick would open a code span or block that swallows the rest of the message: a look-alike
      // (ˋ, U+02CB) shows the same.
      .replace(/`/g, '\u02CB')
  );
}

/** A log value as inline code: shown literally, with no formatting, links or mentions. */
export function slackCode(value: string, max = 200): string {
  const text = escapeSlack(value, max);
  return text === '' ? '`-`' : `\`${text}\``;
}

/** A link Slack renders as `text`, or the escaped text alone when the URL is not a plain http(s) URL. */
export function slackLink(url: string, text: string): string {
  if (!/^https?:\/\/[^\s<>|"`]+$/.test(url)) return escapeSlack(text);
  return `<${url}|${escapeSlack(text)}>`;
}
