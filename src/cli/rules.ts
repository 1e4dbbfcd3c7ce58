import { loadCatalogue } from '../rules/catalogue.js';
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { renderCatalogueTable, updateReadmeCatalogue } from '../rules/catalogue-doc.js';
import { loadConfig } from '../config/load.js';
import { InputError } from '../shared/errors.js';
import { safeForTerminal } from '../shared/escape.js';
import { mitreUrl } from '../rules/mitre.js';
import { loadRules } from '../rules/load.js';
import { runTestCase } from '../rules/test-cases.js';
import type { SetExit } from './exit-code.js';
import { EXIT_CODES } from './exit-codes.js';

/** `trailwatch rules list|show|test`: the catalogue. */
export function registerRules(program: Command, setExit: SetExit): void {
  const rules = program.command('rules').description('The detection catalogue: list, show or test rules');

  rules
    .command('list')
    .description('List every rule: id, tier, risk, title')
    .option('--json', 'print JSON: [{ id, title, tier, risk }]')
    .option('--config <file>', 'configuration file (adds rulesDirs and per-rule overrides)')
    .action(async (opts: { json?: boolean; config?: string }) => {
      const { config } = await loadConfig(opts.config);
      const all = await loadCatalogue(config);
      const rows = all.map((r) => {
        const o = config.rules[r.id];
        return {
          id: r.id,
          title: r.title,
          tier: o?.tier ?? r.tier,
          risk: o?.risk ?? r.risk,
          enabled: o?.enabled !== false,
        };
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      for (const r of rows) {
        process.stdout.write(
          `${r.id.padEnd(30)} ${r.tier.padEnd(6)} ${r.risk.padEnd(6)} ${r.enabled ? '' : '(disabled) '}${r.title}\n`,
        );
      }
    });

  rules
    .command('show')
    .description('Show one rule: why, next steps, references, parameters and its SQL')
    .argument('<id>', 'rule id, e.g. trail-tampering')
    .option('--config <file>', 'configuration file (adds rulesDirs)')
    .action(async (id: string, opts: { config?: string }) => {
      const { config } = await loadConfig(opts.config);
      const rule = (await loadRules(config.rulesDirs)).find((r) => r.id === id);
      if (!rule) throw new InputError(`no rule with id "${id}" (see: trailwatch rules list)`);
      const out = [
        `${rule.id} — ${rule.title}`,
        `tier: ${rule.tier}   risk: ${rule.risk}`,
        '',
        `Why: ${rule.why}`,
        '',
        `Next: ${rule.next}`,
        '',
        'References:',
        ...rule.references.map((r) => `  - ${r.title}${r.url ? ` <${r.url}>` : ''}`),
        ...(rule.mitre.length > 0
          ? [
              '',
              'MITRE ATT&CK:',
              ...rule.mitre.map(
                (m) => `  - ${m.technique} ${m.name} (${m.tactics.join(', ')}) <${mitreUrl(m.technique)}>`,
              ),
            ]
          : []),
        ...(rule.parameters.length > 0
          ? [
              '',
              'Parameters:',
              ...rule.parameters.map(
                (p) =>
                  `  - ${p.name} (${p.type}${p.configKey ? `, config key ${p.configKey}` : ''}${p.default !== undefined ? `, default ${JSON.stringify(p.default)}` : ''}): ${p.description}`,
              ),
            ]
          : []),
        '',
        `SQL (${rule.sqlFile}; ? binds, in order: ${rule.bind.join(', ')}):`,
        rule.sql,
      ];
      process.stdout.write(
        `${out.map((l) => safeForTerminal(l, 100_000).replace(/\\u000a/g, '\n')).join('\n')}\n`,
      );
    });

  rules
    .command('docs')
    .description("Regenerate the README's catalogue table from rules/ (or --check that it is current)")
    .option('--readme <file>', 'README to update', 'README.md')
    .option('--check', 'exit 2 when the table is stale instead of writing it')
    .action(async (opts: { readme: string; check?: boolean }) => {
      const readme = await readFile(opts.readme, 'utf8').catch((error: unknown) => {
        throw new InputError(`cannot read ${opts.readme}`, { cause: error });
      });
      const updated = updateReadmeCatalogue(readme, renderCatalogueTable(await loadRules()));
      if (opts.check) {
        if (updated !== readme) {
          throw new InputError(`${opts.readme}: the rule catalogue table is stale; run npm run docs`);
        }
        return;
      }
      if (updated !== readme) await writeFile(opts.readme, updated);
    });

  rules
    .command('test')
    .description("Run every rule's inline test cases on the embedded engine")
    .argument('[ids...]', 'only these rules')
    .option('--config <file>', 'configuration file (adds rulesDirs)')
    .action(async (ids: string[], opts: { config?: string }) => {
      const { config } = await loadConfig(opts.config);
      const all = await loadRules(config.rulesDirs);
      const unknown = ids.filter((id) => !all.some((r) => r.id === id));
      if (unknown.length > 0) {
        throw new InputError(
          `no rule with id ${unknown.map((u) => `"${u}"`).join(', ')} (see: trailwatch rules list)`,
        );
      }
      const selected = all.filter((r) => ids.length === 0 || ids.includes(r.id));
      let failed = 0;
      let passed = 0;
      for (const rule of selected) {
        for (const testCase of rule.tests) {
          const result = await runTestCase(rule, testCase);
          if (result.passed) passed += 1;
          else failed += 1;
          const mark = result.passed ? 'ok  ' : 'FAIL';
          process.stdout.write(
            safeForTerminal(
              `${mark} ${rule.id}: ${testCase.name}${result.error ? ` — ${result.error}` : ''}`,
            ) + '\n',
          );
        }
      }
      process.stdout.write(`${passed} passed, ${failed} failed\n`);
      if (failed > 0) setExit(EXIT_CODES.incomplete);
    });
}
