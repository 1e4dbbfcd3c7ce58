// Section 2 of the digest, "Scope and method": the window, the engine and what it read and cost, every
// rule as it ran (its SQL and parameters), the Athena tables' projection, and the accounts audited.
import type { RunFacts } from '../../model.js';
import { display, formatBytes, formatDuration, formatTime, safeUrl, type NameOf } from './display.js';
import type { DigestAthenaTable, DigestMatrix, DigestModel, DigestRuleRun, ReportInput } from './types.js';

function buildRuleRuns(facts: RunFacts): DigestRuleRun[] {
  return facts.rules.map((run) => ({
    ruleId: display(run.ruleId, 80),
    title: display(run.title, 120),
    tier: run.tier,
    risk: run.risk,
    status: run.status,
    reason: run.reason ? display(run.reason, 500) : '',
    sql: run.sql,
    parameters: display(JSON.stringify(run.parameters), 1000),
    queryId: display(run.queryId, 120),
    // The embedded engine reads local files once at staging; per-rule bytes are an Athena figure.
    bytesScanned:
      run.bytesScanned === undefined || facts.engine === 'duckdb' ? '—' : formatBytes(run.bytesScanned),
    duration: run.durationMs === undefined ? '—' : formatDuration(run.durationMs),
    findings: run.findings,
  }));
}

function buildAthenaTables(facts: RunFacts): DigestAthenaTable[] {
  return (facts.athenaTables ?? []).map((t) => {
    const missing = t.missingAccounts.length + t.missingRegions.length;
    const added = t.addedAccounts.length + t.addedRegions.length;
    const status = !t.found
      ? `not readable: ${t.problem ?? 'unknown reason'}`
      : missing > 0 || t.problem
        ? `does NOT cover the organization: ${[
            t.missingAccounts.length > 0 ? `accounts ${t.missingAccounts.join(', ')}` : '',
            t.missingRegions.length > 0 ? `regions ${t.missingRegions.join(', ')}` : '',
            t.problem ?? '',
          ]
            .filter(Boolean)
            .join('; ')} not read`
        : added > 0
          ? `matched after this run added ${[
              t.addedAccounts.length > 0 ? `accounts ${t.addedAccounts.join(', ')}` : '',
              t.addedRegions.length > 0 ? `regions ${t.addedRegions.join(', ')}` : '',
            ]
              .filter(Boolean)
              .join(' and ')}`
          : 'matched: projects every account and enabled region of the organization';
    return {
      name: display(`${t.database}.${t.table}`, 300),
      layout: t.layout === 'organization' ? 'organization trail' : 'per-account trails',
      status: display(status, 2000),
      covered: t.found && missing === 0 && !t.problem,
      accounts: display(`${t.accounts.length}: ${t.accounts.join(', ')}`, 4000),
      regions: display(`${t.regions.length}: ${t.regions.join(', ')}`, 2000),
    };
  });
}

/** What the run cost: Athena's bill for its queries at the configured price; DuckDB over local files costs nothing. */
function costOf(facts: RunFacts): string {
  if (facts.engine !== 'athena') return '$0 (local engine)';
  const cost = facts.athenaCost;
  if (!cost) return 'not known';
  const queries = `${cost.queries} ${cost.queries === 1 ? 'query' : 'queries'}`;
  return `$${cost.usd.toFixed(4)} (${queries} at $${cost.usdPerTerabyte}/TB, billed ${formatBytes(cost.billedBytes)}: at least 10 MB each)`;
}

function buildFacts(facts: RunFacts): DigestModel['facts'] {
  const ran = facts.rules.filter((r) => r.status === 'ran' || r.status === 'failed');
  const scanned = facts.rules.reduce((sum, r) => sum + (r.bytesScanned ?? 0), 0);
  // Athena bills the staging CTAS (bytesRead: the one pass over the raw logs) and every rule query over the
  // staged table; DuckDB's rule queries re-read what staging already holds in memory.
  const bytes = facts.engine === 'athena' ? facts.bytesRead + scanned : Math.max(scanned, facts.bytesRead);
  const cost = costOf(facts);
  const since = facts.window.since ? formatTime(facts.window.since) : 'first event';
  const until = facts.window.until ? formatTime(facts.window.until) : 'last event';
  const duration = Date.parse(facts.finishedAt) - Date.parse(facts.startedAt);
  return {
    window: `${since} → ${until}`,
    since,
    until,
    engine: facts.engine === 'athena' ? 'Amazon Athena' : 'DuckDB (embedded)',
    source: display(facts.source, 300),
    queriesRun: ran.length,
    dataScanned: formatBytes(bytes),
    cost,
    duration: formatDuration(duration),
    filesRead: facts.filesRead,
    eventsRead: facts.eventsRead,
    ciRunUrl: safeUrl(facts.ciRunUrl),
    athenaTables: buildAthenaTables(facts),
  };
}

/** The accounts audited and not audited: from the matrix, the account list and the account errors. */
function buildAccounts(input: ReportInput, matrix: DigestMatrix, nameOf: NameOf): DigestModel['accounts'] {
  const auditedIds = new Set<string>();
  for (const row of matrix.rows) auditedIds.add(row.accountId);
  for (const account of input.accounts ?? []) auditedIds.add(account.id);
  const notAuditedAccounts = new Set(input.errors.filter((e) => e.scope === 'account').map((e) => e.id));
  for (const row of matrix.rows) {
    if (row.cells.length > 0 && row.cells.every((c) => c.status === 'not-audited'))
      notAuditedAccounts.add(row.accountId);
  }
  return {
    audited: [...auditedIds]
      .filter((id) => !notAuditedAccounts.has(id))
      .sort()
      .map((id) => ({ id: display(id, 40), name: nameOf(id) })),
    notAudited: [...notAuditedAccounts].sort().map((id) => ({ id: display(id, 40), name: nameOf(id) })),
  };
}

/** The scope and method section: run facts, accounts and regions in scope, and every rule run. */
export function scopeSection(
  input: ReportInput,
  matrix: DigestMatrix,
  nameOf: NameOf,
): Pick<DigestModel, 'facts' | 'accounts' | 'regions' | 'ruleRuns'> {
  return {
    facts: buildFacts(input.facts),
    accounts: buildAccounts(input, matrix, nameOf),
    regions: matrix.regions,
    ruleRuns: buildRuleRuns(input.facts),
  };
}
