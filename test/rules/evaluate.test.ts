import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { parseConfig } from '../../src/config/load.js';
import { openDuckDbEngine } from '../../src/engine/duckdb.js';
import type { QueryEngine } from '../../src/engine/types.js';
import { evaluateRules } from '../../src/rules/evaluate.js';
import { loadRules } from '../../src/rules/load.js';
import { fillRecord } from '../../src/rules/test-cases.js';
import type { RuleDefinition } from '../../src/rules/types.js';
import { silentLogger } from '../../src/shared/log.js';

let engine: QueryEngine;
let rules: RuleDefinition[];
const window = { since: null, until: null };

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tw-eval-'));
  const records = [
    fillRecord({ eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', awsRegion: 'us-east-1', requestParameters: { instancesSet: { items: [{ imageId: 'ami-0badbadbadbadbad0' }] } } }, 1),
    fillRecord({ eventSource: 'kms.amazonaws.com', eventName: 'ScheduleKeyDeletion', requestParameters: { keyId: 'k', pendingWindowInDays: 7 } }, 2),
  ];
  await writeFile(join(dir, 'events.json'), JSON.stringify({ Records: records }));
  engine = await openDuckDbEngine({ logs: dir, log: silentLogger, progress: false });
  await engine.stage(window);
  rules = await loadRules();
});

afterAll(async () => engine.close());

describe('evaluateRules', () => {
  it('reports a rule that lacks its setting as "not configured" instead of running or failing it', async () => {
    const image = rules.filter((r) => r.id === 'unapproved-image');
    const { runs, findings, errors } = await evaluateRules(engine, image, parseConfig({}), window, silentLogger);
    expect(runs.map((r) => [r.status, r.reason])).toEqual([['not-configured', 'needs approvedImages in the config']]);
    expect(findings).toEqual([]);
    expect(errors).toEqual([]);
    const configured = await evaluateRules(engine, image, parseConfig({ approvedImages: ['ami-0123456789abcdef0'] }), window, silentLogger);
    expect(configured.findings.map((f) => f.eventName)).toEqual(['RunInstances']);
  });

  it("records the config's tier and risk, which classify gives the findings, and skips disabled rules", async () => {
    const kms = rules.filter((r) => r.id === 'kms-key-deletion' || r.id === 'root-usage');
    const config = parseConfig({ rules: { 'kms-key-deletion': { tier: 'review', risk: 'low' }, 'root-usage': { enabled: false } } });
    const { runs, findings } = await evaluateRules(engine, kms, config, window, silentLogger);
    expect(findings.map((f) => [f.ruleId, f.tier, f.risk])).toEqual([['kms-key-deletion', 'alert', 'high']]);
    expect(runs.find((r) => r.ruleId === 'kms-key-deletion')).toMatchObject({ tier: 'review', risk: 'low', findings: 1 });
    const classified = classify({ findings, suppressions: [], overrides: config.rules, rules: kms, today: '2026-11-21' });
    expect(classified.findings.map((f) => [f.ruleId, f.tier, f.risk])).toEqual([['kms-key-deletion', 'review', 'low']]);
    expect(runs.find((r) => r.ruleId === 'root-usage')?.status).toBe('disabled');
  });

  it('records a failing rule as an error and still runs the others', async () => {
    const broken: RuleDefinition = { ...rules.find((r) => r.id === 'kms-key-deletion')!, id: 'broken', sql: 'SELECT no_such_column FROM cloudtrail_logs', bind: [] };
    const kms = rules.filter((r) => r.id === 'kms-key-deletion');
    const { runs, findings, errors } = await evaluateRules(engine, [broken, ...kms], parseConfig({}), window, silentLogger);
    expect(runs.map((r) => [r.ruleId, r.status])).toEqual([
      ['broken', 'failed'],
      ['kms-key-deletion', 'ran'],
    ]);
    expect(errors).toEqual([expect.objectContaining({ scope: 'rule', id: 'broken', code: 'rule-failed' })]);
    expect(findings.map((f) => f.ruleId)).toEqual(['kms-key-deletion']);
  });
});
