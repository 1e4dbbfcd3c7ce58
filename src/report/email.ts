// The digest email: Handlebars fills templates/digest.mjml, MJML turns it into client-proof HTML, and a text
// template gives the plain-text part. Gmail clips messages over ~102 KB, so the email summarises instead of
// growing: fewer rows per rule (never more than the cap per rule), then fewer rules in detail — but every rule that fired is always named
// with its count in "At a glance".
import mjml2html from 'mjml';
import type { DigestEvent, DigestGroup, DigestModel } from './model/index.js';
import { loadTemplate } from './templates.js';

/** The rendered digest email. */
export interface DigestEmail {
  subject: string;
  html: string;
  text: string;
}

/** The HTML part stays under this many bytes (Gmail clips at 102 KB; leave room for headers and encoding). */
export const EMAIL_HTML_BUDGET = 95_000;

interface Level {
  events: number;
  groups: number;
  list: number;
  /** At a glance as bare `rule-id — count` lines, for days with hundreds of rules firing. */
  compact?: boolean;
}

// From generous to terse; the last level shows no events at all and still names every fired rule.
const LEVELS: Level[] = [
  { events: Number.POSITIVE_INFINITY, groups: Number.POSITIVE_INFINITY, list: 50 },
  { events: 5, groups: Number.POSITIVE_INFINITY, list: 30 },
  { events: 3, groups: 20, list: 20 },
  { events: 1, groups: 10, list: 10 },
  { events: 0, groups: 5, list: 5 },
  { events: 0, groups: 0, list: 3 },
  { events: 0, groups: 0, list: 3, compact: true },
];

interface ViewGroup extends DigestGroup {
  shownNew: DigestEvent[];
  shownRecurring: DigestEvent[];
  /** Rows left to the evidence. */
  more: number;
}

function viewGroups(groups: DigestGroup[], level: Level, budget: { left: number }): ViewGroup[] {
  const out: ViewGroup[] = [];
  for (const group of groups) {
    if (budget.left <= 0) break;
    budget.left -= 1;
    const shown = group.shownEvents.slice(0, level.events);
    // New rows in full; a recurring row is one line.
    out.push({
      ...group,
      shownNew: shown.filter((e) => e.novelty !== 'recurring'),
      shownRecurring: shown.filter((e) => e.novelty === 'recurring'),
      more: group.rows - shown.length,
    });
  }
  return out;
}

function emailView(model: DigestModel, level: Level) {
  const budget = { left: level.groups };
  const alertGroups = viewGroups(model.alertGroups, level, budget);
  const reviewGroups = viewGroups(model.reviewGroups, level, budget);
  const hiddenGroups =
    model.alertGroups.length + model.reviewGroups.length - alertGroups.length - reviewGroups.length;
  return {
    compact: Boolean(level.compact),
    alertGroups,
    reviewGroups,
    hiddenGroups,
    coverageProblems: model.coverage.problems.slice(0, level.list),
    moreCoverage: Math.max(0, model.coverage.problems.length - level.list),
    notAudited: model.notAudited.slice(0, level.list),
    moreNotAudited: Math.max(0, model.notAudited.length - level.list),
    warnings: model.warnings.slice(0, level.list),
    moreWarnings: Math.max(0, model.warnings.length - level.list),
  };
}

async function renderHtml(model: DigestModel, level: Level): Promise<string> {
  const mjml = loadTemplate('digest.mjml')({ ...model, view: emailView(model, level) });
  // strict: a template mistake fails loudly here (and in tests) instead of sending a broken email.
  const result = await mjml2html(mjml, { validationLevel: 'strict', keepComments: false });
  // MJML indents its output generously (a fifth of the bytes). Outside <pre>, which the email never uses,
  // a run of whitespace after a newline renders exactly like the newline alone.
  return result.html.replace(/\n\s+/g, '\n');
}

/** Renders the digest email (subject, HTML and plain text), summarising until the HTML fits the budget. */
export async function renderDigestEmail(model: DigestModel): Promise<DigestEmail> {
  let html = '';
  let chosen: Level = LEVELS[0] as Level;
  for (const level of LEVELS) {
    chosen = level;
    html = await renderHtml(model, level);
    if (Buffer.byteLength(html, 'utf8') <= EMAIL_HTML_BUDGET) break;
  }
  const text = loadTemplate('digest.txt.hbs', { text: true })({ ...model, view: emailView(model, chosen) });
  return { subject: model.subject, html, text };
}
