// Section 3 of the digest, "Trail coverage": the coverage problems by account and region, the accounts ×
// regions matrix, and the one line that sums it up.
import type { CoverageFinding, CoverageStatus } from '../../model.js';
import { coverageLine } from '../../trails/evaluate.js';
import { display, RISK_ORDER, SUMMARY_LIMIT, type NameOf } from './display.js';
import { suppressionFields } from './findings.js';
import type { DigestCoverageProblem, DigestMatrix, DigestModel, ReportInput } from './types.js';

/** One coverage finding as the digest shows it (its suppression too, when suppressed). */
export function toCoverageProblem(finding: CoverageFinding, nameOf: NameOf): DigestCoverageProblem {
  const problem: DigestCoverageProblem = {
    checkId: display(finding.checkId, 80),
    tier: finding.tier,
    risk: finding.risk,
    accountId: display(finding.accountId, 40),
    accountName: finding.accountName ? display(finding.accountName, 80) : nameOf(finding.accountId),
    region: finding.region ? display(finding.region, 40) : 'all regions',
    trailArn: display(finding.trailArn),
    summary: display(finding.summary, SUMMARY_LIMIT),
    suppressed: finding.suppressed,
  };
  if (finding.suppressed) Object.assign(problem, suppressionFields(finding.suppression));
  return problem;
}

function buildMatrix(input: ReportInput, nameOf: NameOf): DigestMatrix {
  const cells = input.coverageMatrix ?? [];
  const regions = [...new Set(cells.map((c) => c.region))].sort();
  const accounts = new Map<string, string>();
  for (const cell of cells) accounts.set(cell.accountId, cell.accountName ?? '');
  const index = new Map(cells.map((c) => [`${c.accountId}/${c.region}`, c]));
  const symbols: Record<CoverageStatus | 'none', string> = {
    covered: '✓',
    problem: '✗',
    'not-audited': '?',
    none: '·',
  };
  const rows = [...accounts.keys()].sort().map((accountId) => ({
    accountId: display(accountId, 40),
    accountName: nameOf(accountId),
    cells: regions.map((region) => {
      const cell = index.get(`${accountId}/${region}`);
      const status: CoverageStatus | 'none' = cell?.status ?? 'none';
      return { region, status, symbol: symbols[status], checks: display(cell?.checks.join(', ') ?? '', 200) };
    }),
  }));
  return { regions: regions.map((r) => display(r, 40)), rows };
}

/** The trail coverage section: problems worst first, the matrix, and how many account-regions are covered. */
export function coverageSection(
  input: ReportInput,
  nameOf: NameOf,
): { coverage: DigestModel['coverage']; matrix: DigestMatrix; coverageOk: number } {
  const problems = input.coverage
    .filter((c) => !c.suppressed)
    .map((c) => toCoverageProblem(c, nameOf))
    .sort(
      (a, b) =>
        RISK_ORDER[a.risk] - RISK_ORDER[b.risk] ||
        a.accountId.localeCompare(b.accountId) ||
        a.region.localeCompare(b.region),
    );
  const matrix = buildMatrix(input, nameOf);
  const summary = input.coverageSummary ?? null;
  const coverageOk = matrix.rows.reduce(
    (sum, row) => sum + row.cells.filter((c) => c.status === 'covered').length,
    0,
  );
  const audited = summary !== null || matrix.rows.length > 0 || input.coverage.length > 0;
  const okLine = summary
    ? coverageLine(summary)
    : matrix.rows.length > 0
      ? `${coverageOk} of ${matrix.rows.length * matrix.regions.length} account-regions fully covered`
      : 'trail coverage was not audited in this run';
  return { coverage: { audited, problems, summary, okLine }, matrix, coverageOk };
}
