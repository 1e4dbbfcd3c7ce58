import { describe, expect, it } from 'vitest';
import { formatLogLine, redactSecrets, registerSecret } from '../../src/shared/log.js';

const USER = 'relay-user';
const PASSWORD = 'correct-Horse-battery-9';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('credentials registered with the log sink', () => {
  registerSecret(PASSWORD, USER);

  it('are redacted as text and as the AUTH PLAIN and AUTH LOGIN base64 forms', () => {
    const line = formatLogLine('error', 'smtp said', {
      reply: `535 ${b64(`\0${USER}\0${PASSWORD}`)} ${b64(USER)} ${b64(PASSWORD)} ${PASSWORD}`,
    });
    expect(line).not.toContain(PASSWORD);
    expect(line).not.toContain(b64(`\0${USER}\0${PASSWORD}`));
    expect(line).not.toContain(b64(USER));
    expect(line).not.toContain(b64(PASSWORD).replace(/=+$/, ''));
    expect(line).toContain('535 [redacted]');
  });

  it.each(['', 'x', 'xy'])('are redacted inside any longer base64 string (prefix %j)', (prefix) => {
    const blob = b64(`${prefix}${PASSWORD}-and-more-bytes`);
    const redacted = redactSecrets(`reply ${blob}`);
    expect(redacted).toContain('[redacted]');
    // What is left around the redaction is at most the two partial groups at the edges.
    expect(redacted.length).toBeLessThan(`reply ${blob}`.length - 16);
  });

  it('leave ordinary text alone', () => {
    expect(redactSecrets('535 5.7.8 authentication failed')).toBe('535 5.7.8 authentication failed');
  });
});
