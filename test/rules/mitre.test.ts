import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { mitreUrl } from '../../src/rules/mitre.js';
import { mitreTechniqueSchema } from '../../src/rules/schema.js';

describe('the mitre field of a rule', () => {
  it('accepts a technique or a sub-technique with its tactics', () => {
    expect(mitreTechniqueSchema.safeParse({ technique: 'T1098', name: 'Account Manipulation', tactics: ['persistence'] }).success).toBe(true);
    expect(
      mitreTechniqueSchema.safeParse({
        technique: 'T1562.008',
        name: 'Impair Defenses — Disable or Modify Cloud Logs',
        tactics: ['defense-evasion'],
      }).success,
    ).toBe(true);
  });

  it.each([
    ['a malformed id', { technique: 'T98', name: 'x', tactics: ['persistence'] }],
    ['an unknown tactic', { technique: 'T1098', name: 'Account Manipulation', tactics: ['persistance'] }],
    ['no tactic', { technique: 'T1098', name: 'Account Manipulation', tactics: [] }],
    ['a sub-technique named without its technique', { technique: 'T1562.008', name: 'Disable or Modify Cloud Logs', tactics: ['impact'] }],
    ['a technique named like a sub-technique', { technique: 'T1562', name: 'Impair Defenses — Cloud Logs', tactics: ['impact'] }],
    ['an unknown key', { technique: 'T1098', name: 'Account Manipulation', tactics: ['persistence'], url: 'x' }],
  ])('refuses %s', (_name, value) => {
    expect(mitreTechniqueSchema.safeParse(value).success).toBe(false);
  });

  it('links the technique page on attack.mitre.org', () => {
    expect(mitreUrl('T1562.008')).toBe('https://attack.mitre.org/techniques/T1562/008/');
    expect(mitreUrl('T1098')).toBe('https://attack.mitre.org/techniques/T1098/');
  });

  it('holds the ATT&CK ids of the catalogue, which its references no longer repeat as free text', async () => {
    const rules = await loadRules();
    const byId = Object.fromEntries(rules.map((r) => [r.id, r.mitre.map((m) => m.technique)]));
    expect(byId['trail-tampering']).toEqual(['T1562.008']);
    expect(byId['iam-critical-change']).toEqual(['T1098', 'T1136.003']);
    for (const rule of rules) {
      expect(rule.references.filter((r) => /MITRE ATT&CK|attack\.mitre\.org/.test(`${r.title} ${r.url ?? ''}`))).toEqual([]);
      // A technique the rule's text names is in its mitre list.
      for (const id of rule.why.match(/\bT\d{4}(?:\.\d{3})?\b/g) ?? []) expect(byId[rule.id], rule.id).toContain(id);
    }
  });
});
