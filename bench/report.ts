// Benchmark of the report: N synthetic findings (10,000 and 100,000 in npm run bench) across 20 rules and a
// 200-account coverage matrix.
// Measures the email render (time, size) and the PDF print (time, pages, peak RSS of Node plus Chromium).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { groupFindings, groupingOfRules } from '../src/classify/group.js';
import type { Finding, RuleRun } from '../src/model.js';
import type { CoverageMatrixCell, DigestRule, ReportInput } from '../src/report/model/index.js';
import { buildDigestModel } from '../src/report/model/index.js';
import { renderDigestEmail } from '../src/report/email.js';
import { createHash } from 'node:crypto';
import { renderEvidenceHtml } from '../src/report/evidence.js';
import { evidenceGroup } from '../src/report/evidence-groups.js';
import { findingsCsv, findingsJsonLines } from '../src/report/finding-list.js';
import { evidenceRows, REPAGINATE_MAX_ROWS } from '../src/report/index.js';
import { findBrowser, printPdf } from '../src/report/pdf.js';
import { VERSION } from '../src/shared/version.js';

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-south-1',
  'sa-east-1',
  'ca-central-1',
];

/** A synthetic day: `count` findings over `ruleCount` rules and `accountCount` accounts. Deterministic. */
export function syntheticReportInput(count = 10_000, ruleCount = 20, accountCount = 200): ReportInput {
  const rules: DigestRule[] = Array.from({ length: ruleCount }, (_, i) => ({
    id: `synthetic-rule-${String(i + 1).padStart(2, '0')}`,
    title: `Synthetic detection number ${i + 1}`,
    tier: i % 3 === 0 ? 'review' : 'alert',
    risk: (['high', 'medium', 'low'] as const)[i % 3] ?? 'low',
    why: 'A synthetic rule for the benchmark; it explains why the activity matters in one sentence.',
    next: 'Check the principal and the change; revert it if nobody asked for it.',
    references: [],
  }));
  const accounts = Array.from({ length: accountCount }, (_, i) => ({
    id: String(100000000000 + i * 7919),
    name: `acme-workload-${String(i + 1).padStart(3, '0')}`,
  }));
  const findings: Finding[] = [];
  for (let i = 0; i < count; i += 1) {
    // Skewed like real days: a few noisy rules and a long tail.
    const rule = rules[Math.floor(ruleCount * (i / count) ** 2)] ?? rules[0];
    const account = accounts[(i * 31) % accountCount];
    if (!rule || !account) continue;
    const second = i % 86_400;
    findings.push({
      ruleId: rule.id,
      tier: rule.tier,
      risk: rule.risk,
      eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      eventTime: new Date(Date.UTC(2026, 10, 21) + second * 1000).toISOString(),
      accountId: account.id,
      region: REGIONS[i % REGIONS.length] ?? 'us-east-1',
      eventSource: 'iam.amazonaws.com',
      eventName: 'PutRolePolicy',
      principal: `arn:aws:sts::${account.id}:assumed-role/Deployer/session-${i % 97}`,
      sourceIp: `198.51.100.${i % 250}`,
      userAgent: 'aws-cli/2.15.0 Python/3.11',
      errorCode: null,
      summary: `Inline policy written to role app-${i % 400} by the deployer`,
      suppressed: i % 50 === 0,
      ...(i % 50 === 0
        ? {
            suppression: {
              id: 'deployer',
              index: 0,
              reason: 'Known deployer activity',
              owner: 'platform@example.com',
              expires: '2027-01-31',
            },
          }
        : {}),
    });
  }
  const matrix: CoverageMatrixCell[] = accounts.flatMap((account, a) =>
    REGIONS.map((region, r) => {
      const status =
        (a * 17 + r) % 97 === 0 ? 'problem' : (a * 13 + r) % 151 === 0 ? 'not-audited' : 'covered';
      return {
        accountId: account.id,
        accountName: account.name,
        region,
        status,
        checks:
          status === 'problem'
            ? ['trail-region-uncovered']
            : status === 'not-audited'
              ? ['assume-role-denied']
              : [],
      } satisfies CoverageMatrixCell;
    }),
  );
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  const ruleRuns: RuleRun[] = rules.map((rule) => ({
    ruleId: rule.id,
    title: rule.title,
    tier: rule.tier,
    risk: rule.risk,
    status: 'ran',
    sql: 'SELECT eventid\nFROM cloudtrail_logs\nWHERE eventtime >= ?\n  AND eventtime < ?',
    parameters: ['2026-11-21T00:00:00Z', '2026-11-22T00:00:00Z'],
    queryId: `q-${rule.id}`,
    bytesScanned: 50_000_000,
    durationMs: 800,
    findings: counts.get(rule.id) ?? 0,
  }));
  return {
    facts: {
      runId: 'bench',
      trailwatchVersion: VERSION,
      organization: 'Benchmark Org',
      startedAt: '2026-11-22T06:00:00Z',
      finishedAt: '2026-11-22T06:05:00Z',
      window: { since: '2026-11-21T00:00:00Z', until: '2026-11-22T00:00:00Z' },
      engine: 'athena',
      source: 's3://bench/AWSLogs',
      filesRead: 0,
      eventsRead: 0,
      duplicateEvents: 0,
      bytesRead: 0,
      rules: ruleRuns,
      complete: true,
    },
    findings,
    // As the classify stage groups them.
    groups: groupFindings(findings, groupingOfRules(rules)),
    coverage: matrix
      .filter((c) => c.status === 'problem')
      .map((c) => ({
        checkId: 'trail-region-uncovered',
        tier: 'alert' as const,
        risk: 'high' as const,
        accountId: c.accountId,
        accountName: c.accountName,
        region: c.region,
        trailArn: null,
        summary: `No trail logs management events in ${c.region}`,
        suppressed: false,
      })),
    coverageMatrix: matrix,
    accounts,
    errors: matrix
      .filter((c) => c.status === 'not-audited')
      .map((c) => ({
        scope: 'region' as const,
        id: `${c.accountId}/${c.region}`,
        code: 'assume-role-denied',
        message: 'AccessDenied when assuming TrailwatchAudit',
      })),
    rules,
    findingsSha256: '0'.repeat(64),
    generatedAt: '2026-11-22T06:05:00Z',
    options: { maxEventsPerGroup: 10 },
  };
}

// Memory of this process and its children (Chromium's browser, renderer, GPU and utility processes), sampled
// while printing. RSS counts pages shared between Chromium's processes once per process, so the sum
// overstates; PSS (Linux, /proc/<pid>/smaps_rollup) shares them out and is the honest total.
function sampleMemory(): { rss: number; pss: number } {
  const own = process.memoryUsage().rss;
  const memory = { rss: own, pss: own };
  try {
    const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number));
    const tree = new Set([process.pid]);
    for (let pass = 0; pass < 4; pass += 1) {
      for (const [pid, ppid] of rows)
        if (pid !== undefined && ppid !== undefined && tree.has(ppid)) tree.add(pid);
    }
    for (const [pid, , rss] of rows) {
      if (pid === undefined || pid === process.pid || !tree.has(pid)) continue;
      memory.rss += (rss ?? 0) * 1024;
      memory.pss += pssOf(pid) ?? (rss ?? 0) * 1024;
    }
  } catch {
    // ps missing: Node's own memory only.
  }
  return memory;
}

function pssOf(pid: number): number | null {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = /^Pss:\s+(\d+)/m.exec(rollup)?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/** Runs the report benchmark and returns its figures. */
export async function benchReport(count = 10_000): Promise<Record<string, number | string>> {
  const input = syntheticReportInput(count);
  const result: Record<string, number | string> = {
    findings: input.findings.length,
    rules: input.rules.length,
  };

  let started = performance.now();
  const model = buildDigestModel(input);
  result.modelMs = Math.round(performance.now() - started);

  started = performance.now();
  const email = await renderDigestEmail(model);
  result.emailMs = Math.round(performance.now() - started);
  result.emailKB = Number((Buffer.byteLength(email.html, 'utf8') / 1024).toFixed(1));
  result.emailNamesEveryRule = model.firedRules.every((r) => email.html.includes(r.ruleId)) ? 'yes' : 'no';

  const browserPath = findBrowser();
  if (!browserPath) {
    result.pdf = 'skipped: no Chrome or Chromium found';
    return result;
  }
  // Every finding is accounted for: listed one by one, or counted in its rule's grouped table.
  const printed = [...model.alertGroups, ...model.reviewGroups, ...model.suppressedGroups]
    .map(evidenceGroup)
    .reduce(
      (sum, g) =>
        sum +
        (g.capped
          ? g.breakdown.reduce((s, r) => s + r.count, 0) + (g.breakdownRest?.count ?? 0)
          : g.events.reduce((s, e) => s + e.count, 0)),
      0,
    );
  result.accountedFor = `${printed.toLocaleString('en-US')} of ${input.findings.length.toLocaleString('en-US')}`;
  result.evidenceRows = evidenceRows(model);
  const hash = (text: string) => createHash('sha256').update(text).digest('hex');
  // The bundle's full lists, hashed as the scan writes them (the evidence prints both hashes).
  const findingList = {
    csv: hash(findingsCsv(input.findings)),
    jsonl: hash(findingsJsonLines(input.findings)),
  };

  started = performance.now();
  const html = renderEvidenceHtml(model, { findingList });
  result.evidenceHtmlMB = Number((Buffer.byteLength(html, 'utf8') / 1024 / 1024).toFixed(1));
  const peak = sampleMemory();
  const timer = setInterval(() => {
    const now = sampleMemory();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.pss = Math.max(peak.pss, now.pss);
  }, 250);
  try {
    const pdf = await printPdf(html, {
      browserPath,
      paper: 'A4',
      title: 'Benchmark Org — CloudTrail audit evidence',
      date: model.date,
      repaginate:
        evidenceRows(model) <= REPAGINATE_MAX_ROWS
          ? (pages) => renderEvidenceHtml(model, { pages, findingList })
          : undefined,
    });
    result.pdfMs = Math.round(performance.now() - started);
    result.pdfMB = Number((pdf.byteLength / 1024 / 1024).toFixed(1));
    // The page tree's root holds the largest /Count.
    const counts = [
      ...Buffer.from(pdf)
        .toString('latin1')
        .matchAll(/\/Count\s+(\d+)/g),
    ].map((m) => Number(m[1]));
    result.pdfPages = Math.max(0, ...counts);
  } finally {
    clearInterval(timer);
  }
  result.peakPssMB = Math.round(peak.pss / 1024 / 1024);
  result.peakRssSumMB = Math.round(peak.rss / 1024 / 1024);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // node dist-tools/bench/report.js [findings] prints one JSON line.
  const figures = await benchReport(Number(process.argv[2] ?? 10_000));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
