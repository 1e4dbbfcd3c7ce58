import { describe, expect, it } from 'vitest';
import { createLogger, redactSecrets } from '../../src/shared/log.js';

function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger({ level: 'debug', sink: (l) => lines.push(l) }) };
}

describe('the log sink', () => {
  it('writes a static message with metadata', () => {
    const { lines, log } = capture();
    log.child({ account: '111122223333' }).info('account audited', { regions: 4 });
    expect(lines).toEqual(['info  account audited account=111122223333 regions=4']);
  });

  it('redacts credentials by key and by shape', () => {
    const { lines, log } = capture();
    log.info('assumed role', {
      sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKENVALUE1234567890',
      credentials: { accessKeyId: 'ASIAEXAMPLEEXAMPLE12' },
      note: 'key AKIAIOSFODNN7EXAMPLE used',
    });
    const line = lines[0] ?? '';
    expect(line).not.toContain('IQoJb3JpZ2lu');
    expect(line).not.toContain('ASIAEXAMPLE');
    expect(line).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(line).toContain('[redacted]');
  });

  it('neutralises control characters and workflow commands coming from log values', () => {
    const { lines, log } = capture();
    log.warn('odd user agent', { userAgent: 'x\n::error::pwned\u001b[31m' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(lines[0]).not.toContain('\u001b');
    expect(lines[0]).not.toContain('::error::');
  });

  it('redactSecrets leaves ordinary text alone', () => {
    expect(redactSecrets('arn:aws:iam::111122223333:user/alice')).toBe(
      'arn:aws:iam::111122223333:user/alice',
    );
  });
});
