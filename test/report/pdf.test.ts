import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { destinationPages, findBrowser } from '../../src/report/pdf.js';

function fakeExecutable(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tw-browser-'));
  const path = join(dir, 'chrome');
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('findBrowser', () => {
  it('prefers the configured path, then PUPPETEER_EXECUTABLE_PATH, then the usual places', () => {
    const configured = fakeExecutable();
    const fromEnv = fakeExecutable();
    const installed = fakeExecutable();
    const env = { PUPPETEER_EXECUTABLE_PATH: fromEnv };

    expect(findBrowser({ configured, env, candidates: [installed] })).toBe(configured);
    expect(findBrowser({ env, candidates: [installed] })).toBe(fromEnv);
    expect(findBrowser({ env: {}, candidates: ['/nonexistent/chrome', installed] })).toBe(installed);
  });

  it('returns null rather than another browser when the configured one is missing', () => {
    const installed = fakeExecutable();

    expect(findBrowser({ configured: '/nonexistent/chrome', env: {}, candidates: [installed] })).toBeNull();
    expect(findBrowser({ env: { PUPPETEER_EXECUTABLE_PATH: '/nope' }, candidates: [installed] })).toBeNull();
    expect(findBrowser({ env: {}, candidates: ['/nonexistent/a', '/nonexistent/b'] })).toBeNull();
  });

  it('does not take a file that is not executable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-browser-'));
    const path = join(dir, 'chrome');
    writeFileSync(path, 'not a program');

    expect(findBrowser({ env: {}, candidates: [path] })).toBeNull();
  });
});

describe('destinationPages', () => {
  it('maps named destinations to page numbers through a nested page tree', () => {
    const pdf = [
      '%PDF-1.4',
      '1 0 obj\n<</Type /Catalog\n/Pages 2 0 R\n/Dests 9 0 R>>\nendobj',
      '2 0 obj\n<</Type /Pages\n/Kids [3 0 R 4 0 R]\n/Count 3>>\nendobj',
      '3 0 obj\n<</Type /Page\n/Parent 2 0 R>>\nendobj',
      '4 0 obj\n<</Type /Pages\n/Kids [5 0 R 6 0 R]\n/Count 2>>\nendobj',
      '5 0 obj\n<</Type /Page\n/Parent 4 0 R>>\nendobj',
      '6 0 obj\n<</Type /Page\n/Parent 4 0 R>>\nendobj',
      '9 0 obj\n<</summary [3 0 R /XYZ 0 841 0]\n/errors [6 0 R /XYZ 0 841 0]>>\nendobj',
    ].join('\n');

    expect(destinationPages(new TextEncoder().encode(pdf))).toEqual({ summary: 1, errors: 3 });
  });

  it('answers nothing for a document it does not understand', () => {
    expect(destinationPages(new TextEncoder().encode('%PDF-1.7 garbage'))).toEqual({});
  });
});

describe('findBrowser on PATH', () => {
  it('finds a browser by name on PATH when no usual install place has one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-path-'));
    const fake = join(dir, 'chromium');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(findBrowser({ env: { PATH: `/nonexistent:${dir}` }, candidates: [] })).toBe(fake);
    expect(findBrowser({ env: { PATH: '/nonexistent' }, candidates: [] })).toBeNull();
  });
});
