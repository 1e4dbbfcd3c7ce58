// The evidence document: one HTML page (templates/evidence.html + evidence.css) that Chromium prints to PDF.
import type { DigestModel } from './model/index.js';
import { evidenceGroup, type FindingListHashes } from './evidence-groups.js';
import { loadTemplate } from './templates.js';

/** The sections of the evidence, in order, as the table of contents lists them. */
export const EVIDENCE_SECTIONS = [
  { id: 'summary', title: '1. Summary' },
  { id: 'scope', title: '2. Scope and method' },
  { id: 'coverage', title: '3. Trail coverage' },
  { id: 'alerts', title: '4. Alerts' },
  { id: 'review', title: '5. To review' },
  { id: 'suppressed', title: '6. Suppressed' },
  { id: 'errors', title: '7. Errors and incompleteness' },
] as const;

/**
 * Renders the evidence HTML; `pages` (section id → page number) fills the table of contents when known;
 * `findingList` is the SHA-256 of findings.csv and findings.jsonl, where a large rule's unlisted events are.
 */
export function renderEvidenceHtml(
  model: DigestModel,
  options: { pages?: Record<string, number>; findingList?: FindingListHashes } = {},
): string {
  const toc = EVIDENCE_SECTIONS.map((section) => ({ ...section, page: options.pages?.[section.id] ?? null }));
  return loadTemplate('evidence.html')({
    ...model,
    alertGroups: model.alertGroups.map(evidenceGroup),
    reviewGroups: model.reviewGroups.map(evidenceGroup),
    suppressedGroups: model.suppressedGroups.map(evidenceGroup),
    findingList: options.findingList ?? { csv: 'not computed', jsonl: 'not computed' },
    toc,
    tocPages: Boolean(options.pages),
  });
}
