// The daily job, top to bottom as the design reads: config → coverage (discover, per-account audit) →
// query the day's logs once → classify → report → deliver → exit code.
import {
  awsSection,
  createClientFactory,
  resolveAwsRegion,
  type AwsDeps,
  type ClientFactory,
} from './aws/clients.js';
import type { Config } from './config/schema.js';
import { coverageForRun } from './coverage-input.js';
import { writeManifest } from './deliver/bundle.js';
import { notePlacement, withBundle } from './deliver/bundle-folder.js';
import { sendDigestEmail } from './deliver/email.js';
import { storeEvidence } from './deliver/s3.js';
import { firstHistory, folderHistory } from './deliver/history-file.js';
import { s3History } from './deliver/s3-history.js';
import { postWebhook } from './deliver/webhook.js';
import { writeJobSummary } from './deliver/job-summary.js';
import { renderJobSummary } from './report/job-summary.js';
import { withLateProblems } from './report/model/index.js';
import { openAthenaEngine } from './engine/athena.js';
import { keepTablesInStep, projectionProblems } from './engine/athena-sync.js';
import type { AthenaTableFacts } from './model.js';
import type { QueryEngine } from './engine/types.js';
import type { FindingsFile } from './model.js';
import { newRunId, scanLocal, type ReportWriter } from './scan.js';
import { ConfigError, type RunErrorEntry } from './shared/errors.js';
import type { Logger } from './shared/log.js';
import { dayWindow } from './shared/window.js';
import { auditCoverage, type CoverageAudit } from './trails/index.js';

/** Options of one daily run. */
export interface DailyRunOptions {
  config: Config;
  /** The UTC day audited (YYYY-MM-DD). */
  date: string;
  outDir: string;
  log: Logger;
  report: ReportWriter;
  /** Evaluate coverage from a saved org snapshot instead of collecting it from AWS. */
  orgSnapshot?: string;
  /** AWS endpoint and credentials (tests point these at the fake AWS). */
  deps?: AwsDeps;
  /** Send the digest by email when the config has an email section (default true). */
  email?: boolean;
}

/** Yesterday in UTC, the day a morning run audits. */
export function yesterdayUtc(now = new Date()): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/** Every problem with the config that makes the daily run impossible, reported at once. */
function checkDailyConfig(config: Config, orgSnapshot?: string): void {
  const problems: string[] = [];
  if (!config.aws && !orgSnapshot) {
    problems.push(
      'aws: expected the AWS settings (roleName, accounts…) for the coverage audit, found nothing (or pass --org-snapshot FILE)',
    );
  }
  if (config.engine.type === 'duckdb' && !config.engine.duckdb.logs) {
    problems.push('engine.duckdb.logs: expected the folder of CloudTrail files to audit, found nothing');
  }
  if (problems.length > 0) throw new ConfigError('the configuration cannot run the daily audit', problems);
}

/**
 * The engine the config names: Athena over the organization trail's table, queried with the runner's (or
 * hub role's) credentials; or undefined, meaning the embedded DuckDB over `engine.duckdb.logs`.
 */
function openConfiguredEngine(
  config: Config,
  log: Logger,
  clients: ClientFactory,
): { engine?: QueryEngine; source: string } {
  if (config.engine.type === 'duckdb') return { source: config.engine.duckdb.logs ?? '' };
  const athena = config.engine.athena;
  const client = clients.athena(athena.region);
  return {
    engine: openAthenaEngine({ config: athena, client, log }),
    source: `Athena ${athena.database}.${athena.table} (workgroup ${athena.workgroup})`,
  };
}

/** Reads (and, with engine.athena.syncTable, updates) the Athena tables' projection against the organization. */
async function syncAthenaTables(
  config: Config,
  snapshot: CoverageAudit['snapshot'],
  clients: ClientFactory,
  log: Logger,
): Promise<AthenaTableFacts[]> {
  const settings = config.engine.athena;
  const wanted = {
    accounts: snapshot.accounts.map((a) => a.id),
    // Every region some account has enabled: a region enabled anywhere can hold that account's activity.
    regions: snapshot.accounts.flatMap((a) =>
      a.regions.filter((r) => r.optInStatus !== 'not-opted-in').map((r) => r.name),
    ),
  };
  const glue = clients.glue(settings.region);
  try {
    return await keepTablesInStep(settings, wanted, glue, log);
  } finally {
    glue.destroy();
  }
}

/** Runs the daily audit and delivers it. Failures of accounts, files, rules or delivery are data in `errors`. */
export async function runDaily(options: DailyRunOptions): Promise<FindingsFile> {
  const { log, outDir } = options;
  checkDailyConfig(options.config, options.orgSnapshot);
  const config = await resolveAwsRegion(options.config);
  const runId = newRunId();
  // Everything the run writes goes into the bundle's private folder, moved into --out whole at the end.
  const { value, placed } = await withBundle(outDir, runId, async (bundle) => {
    const audit = await auditCoverage(config, log, {
      ...(options.orgSnapshot ? { snapshotFile: options.orgSnapshot } : {}),
      ...(options.deps ? { deps: options.deps } : {}),
    });
    const coverage = await coverageForRun(audit, bundle.dir);
    // The central account's clients (Athena, SES) as the runner or hub; nothing is called until one is used.
    const clients = createClientFactory(awsSection(config), options.deps);
    // Athena reads only the accounts and regions its tables project: bring them in step before querying,
    // and make whatever is still not covered a coverage problem (the run is then incomplete).
    const athenaTables =
      config.engine.type === 'athena'
        ? await syncAthenaTables(config, audit.snapshot, clients, log)
        : undefined;
    if (athenaTables) coverage.errors = [...coverage.errors, ...projectionProblems(athenaTables)];
    const { engine, source } = openConfiguredEngine(config, log, clients);
    const { doc, files, late, report } = await scanLocal({
      ...(athenaTables ? { athenaTables } : {}),
      logs: config.engine.duckdb.logs ?? '',
      source,
      ...(engine ? { engine } : {}),
      window: dayWindow(options.date),
      config,
      outDir: bundle.dir,
      finalOutDir: bundle.outDir,
      log,
      coverage,
      report: options.report,
      runId,
      // With the bundle kept in S3, the previous days' history is read from there first (a CI runner's
      // output folder does not survive), then from the previous bundle in --out.
      ...(config.deliver?.s3
        ? {
            history: firstHistory([
              s3History(config.deliver.s3, { clients, date: options.date, days: config.history.days }),
              folderHistory(bundle.outDir),
            ]),
          }
        : {}),
    });
    const delivery: RunErrorEntry[] = [];
    if (config.email && options.email !== false) {
      if (report?.email) {
        const sent = await sendDigestEmail(report.email, config.email, { clients });
        if (sent.ok) log.info('digest sent', { to: config.email.to.length });
        else delivery.push(sent.error);
      } else {
        delivery.push({
          scope: 'delivery',
          id: 'email',
          code: 'email-not-sent',
          message: 'no digest was rendered, so none was sent',
        });
      }
    }
    // Delivery failures come after findings.json (whose hash the evidence quotes) was written: like late
    // report problems they are said in manifest.json, the job summary, the terminal and the exit code.
    const noteDelivery = async (failed: RunErrorEntry[]) => {
      if (failed.length === 0) return;
      doc.errors.push(...failed);
      doc.run.complete = false;
      await writeManifest(bundle.dir, files, [...late, ...delivery]);
    };
    await noteDelivery(delivery);
    // The evidence bucket gets the bundle as it now stands (the manifest last, saying any failure above).
    if (config.deliver?.s3) {
      const stored = await storeEvidence(bundle.dir, config.deliver.s3, {
        clients,
        date: options.date,
        runId,
      });
      doc.run.delivery = { ...doc.run.delivery, s3: stored.facts };
      if (stored.error) delivery.push(stored.error);
      else log.info('evidence stored', { location: stored.facts.location, files: stored.facts.uploaded });
      await noteDelivery(stored.error ? [stored.error] : []);
    }
    // Last, so the ping can say whether the run (its evidence upload included) is complete.
    if (config.deliver?.webhook) {
      const ping = await postWebhook(doc, options.date, config.deliver.webhook);
      doc.run.delivery = { ...doc.run.delivery, webhook: ping.facts };
      if (ping.error) delivery.push(ping.error);
      else log.info('chat ping sent', { urlEnv: ping.facts.urlEnv });
      await noteDelivery(ping.error ? [ping.error] : []);
    }
    return { doc, report, delivery };
  });
  const { doc, report } = value;
  // The bundle could not be put (wholly) in place: said on the terminal, in the job summary and the exit code.
  notePlacement(doc, placed, log);
  const delivery = [...value.delivery, ...placed];
  if (report?.model) {
    const summary = await writeJobSummary(
      renderJobSummary(withLateProblems(report.model, delivery), doc.run.delivery),
    );
    if (summary === true) log.info('job summary written');
    else if (summary) {
      delivery.push(summary);
      doc.errors.push(summary);
      doc.run.complete = false;
    }
  }
  for (const e of delivery.filter((d) => !placed.includes(d)))
    log.error('delivery failed', { code: e.code, message: e.message });
  return doc;
}
