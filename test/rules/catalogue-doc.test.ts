import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCatalogueTable, updateReadmeCatalogue } from '../../src/rules/catalogue-doc.js';
import { loadRules } from '../../src/rules/load.js';
import { PROJECT_ROOT } from '../../src/shared/version.js';

describe("the README's rule catalogue", () => {
  it('is generated from rules/ and current (run npm run docs when this fails)', async () => {
    const readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const rules = await loadRules();
    expect(updateReadmeCatalogue(readme, renderCatalogueTable(rules))).toBe(readme);
    for (const rule of rules) expect(readme).toContain(`| \`${rule.id}\` |`);
  });

  it('escapes table syntax in titles', () => {
    const table = renderCatalogueTable([
      { id: 'x', title: 'a | b', tier: 'alert', risk: 'high', why: 'Why. More.', next: '', references: [], mitre: [], parameters: [], bind: [], sql: '', tests: [], file: '', sqlFile: '' },
    ]);
    expect(table).toContain('| `x` | a \\| b | alert | high | Why. |');
  });
});
