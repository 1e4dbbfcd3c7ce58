// One Handlebars environment for every report template. Values are escaped by `{{ }}`; helpers return plain
// strings (escaped again by the caller's mustache), never SafeStrings built from data, so no helper can be a
// way around escaping. Partials are template files, never data.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { PROJECT_ROOT } from '../shared/version.js';

/** Where the report templates live (templates/ at the package root). */
export const TEMPLATES_DIR = join(PROJECT_ROOT, 'templates');

type Compiled = (context: unknown) => string;

type Kind = 'html' | 'text';

const environments = new Map<Kind, typeof Handlebars>();
const cache = new Map<string, Compiled>();

function createEnvironment(kind: Kind): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  hb.registerHelper('upper', (value: unknown) => String(value ?? '').toUpperCase());
  hb.registerHelper('num', (value: unknown) => Number(value ?? 0).toLocaleString('en-US'));
  hb.registerHelper('plural', (count: unknown, one: unknown, many: unknown) =>
    Number(count) === 1 ? String(one) : String(many),
  );
  // Shortens an (already cleaned) value for places with little room, such as one email line.
  hb.registerHelper('clip', (value: unknown, max: unknown) => {
    const text = String(value ?? '');
    const limit = Number(max);
    return text.length > limit ? `${text.slice(0, limit)}…` : text;
  });
  // Colours by risk and by coverage status: fixed tokens chosen here, so data can never pick a style.
  const riskColours: Record<string, string> = { high: '#b42318', medium: '#b54708', low: '#475467' };
  hb.registerHelper('riskColour', (risk: unknown) => riskColours[String(risk)] ?? '#475467');
  // Event times in a column headed "Time (UTC)" need not repeat the zone on every row.
  hb.registerHelper('utcless', (value: unknown) => String(value ?? '').replace(/ UTC$/, ''));
  // Text partials (.hbs) and markup partials live in separate environments: Handlebars compiles a partial
  // with the options of the first template that uses it, and a text partial must never serve HTML unescaped.
  for (const file of readdirSync(join(TEMPLATES_DIR, 'partials'))) {
    if (file.endsWith('.hbs') !== (kind === 'text')) continue;
    const name = file.replace(/\.[^.]+$/, '');
    hb.registerPartial(name, readFileSync(join(TEMPLATES_DIR, 'partials', file), 'utf8'));
  }
  return hb;
}

/** The shared Handlebars environment for markup or plain text, with helpers and partials registered. */
export function templateEnvironment(kind: Kind): typeof Handlebars {
  let environment = environments.get(kind);
  if (!environment) {
    environment = createEnvironment(kind);
    if (kind === 'html') {
      environment.registerPartial('evidence-css', readFileSync(join(TEMPLATES_DIR, 'evidence.css'), 'utf8'));
    }
    environments.set(kind, environment);
  }
  return environment;
}

/**
 * A compiled template from templates/ (or from `source`, cached under `name`). `text: true` compiles without HTML escaping, for the plain-text part
 * (whose values are already free of control characters; there is no markup to break out of).
 */
export function loadTemplate(name: string, options: { text?: boolean; source?: string } = {}): Compiled {
  const key = `${name}:${options.text ? 'text' : 'html'}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const source = options.source ?? readFileSync(join(TEMPLATES_DIR, name), 'utf8');
  const kind: Kind = options.text ? 'text' : 'html';
  const compiled = templateEnvironment(kind).compile(source, {
    noEscape: Boolean(options.text),
    strict: true,
  }) as Compiled;
  cache.set(key, compiled);
  return compiled;
}
