// The deliver stage of a run, once, in this order: write the bundle's files, send the digest, store the
// files in the evidence bucket, ping the chat webhook, write the manifest (naming every problem met after
// findings.json, delivery failures included), store the manifest, move the bundle into place, write the job
// summary. A delivery failure is added to the run's errors; nothing already written is rewritten.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ClientFactory } from '../aws/clients.js';
import type { Config } from '../config/schema.js';
import { findingsDocument, type AuditRun } from '../model.js';
import type { RenderedFile } from '../report/index.js';
import { renderJobSummary } from '../report/job-summary.js';
import { withLateProblems } from '../report/model/index.js';
import type { RenderedRun } from '../report/render.js';
import type { RunErrorEntry } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { writeManifest } from './bundle.js';
import type { EvidenceBundle } from './bundle-folder.js';
import { sendDigestEmail } from './email.js';
import { writeJobSummary } from './job-summary.js';
import { storeEvidence } from './s3.js';
import { postWebhook } from './webhook.js';

/** Which deliveries beyond the output folder a run makes (the daily run's; `demo` and `scan` make none). */
export interface Deliveries {
  /** Send the digest when the config has an email section (unless --no-email). */
  email: boolean;
  /** Store the evidence in the bucket deliver.s3 names. */
  s3: boolean;
  /** Post the chat ping to the webhook deliver.webhook names. */
  webhook: boolean;
  /** Write the GitHub job summary (when GITHUB_STEP_SUMMARY is set). */
  jobSummary: boolean;
}

/** Where and how the run delivers: the evidence bundle and its deliveries, or (`coverage`) the files alone. */
export type DeliverInput = {
  /** The bundle's working folder, or for `coverage` the output folder as it is (folderInPlace). */
  bundle: EvidenceBundle;
  /** The audited day, which names the bundle's folder in the bucket. */
  date: string;
} & (
  | { output: 'bundle'; deliveries: Deliveries; config: Pick<Config, 'email' | 'deliver'> }
  | { output: 'coverage-files' }
);

/** Writes the rendered files into the bundle's working folder; returns their paths. */
async function writeBundleFiles(dir: string, files: readonly RenderedFile[]): Promise<string[]> {
  const paths: string[] = [];
  for (const file of files) {
    const path = join(dir, file.name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.bytes);
    paths.push(path);
  }
  return paths;
}

/** The digest by email, when the config has an email section: a failure is returned. */
async function sendDigest(
  rendered: RenderedRun,
  config: Pick<Config, 'email'>,
  deps: { log: Logger; clients: ClientFactory },
): Promise<RunErrorEntry[]> {
  if (!config.email) return [];
  if (!rendered.email) {
    return [
      {
        scope: 'delivery',
        id: 'email',
        code: 'email-not-sent',
        message: 'no digest was rendered, so none was sent',
      },
    ];
  }
  const sent = await sendDigestEmail(rendered.email, config.email, { clients: deps.clients });
  if (!sent.ok) return [sent.error];
  deps.log.info('digest sent', { to: config.email.to.length });
  return [];
}

/** Delivers the rendered run; returns the paths of the bundle's files once in place. */
export async function deliverRun(
  run: AuditRun,
  rendered: RenderedRun,
  input: DeliverInput,
  deps: { log: Logger; clients: ClientFactory },
): Promise<string[]> {
  // `coverage` writes its two files where they go; a failure to write them ends the command.
  if (input.output === 'coverage-files') return writeBundleFiles(input.bundle.dir, rendered.files);
  const { bundle, config, deliveries } = input;
  const { log } = deps;
  const deliveredFrom = run.errors.length;
  const files = await writeBundleFiles(bundle.dir, rendered.files);
  if (deliveries.email) run.errors.push(...(await sendDigest(rendered, config, deps)));
  const s3 = deliveries.s3 ? config.deliver?.s3 : undefined;
  const store = { clients: deps.clients, date: input.date, runId: run.facts.runId };
  const stored = s3 ? await storeEvidence(bundle.dir, s3, { ...store, only: 'files' }) : undefined;
  if (stored?.error) run.errors.push(stored.error);
  if (stored) run.facts.delivery = { ...run.facts.delivery, s3: stored.facts };
  // After the evidence upload, so the ping can say whether the run (the upload included) is complete.
  const webhook = deliveries.webhook ? config.deliver?.webhook : undefined;
  if (webhook) {
    const ping = await postWebhook(findingsDocument(run), input.date, webhook);
    run.facts.delivery = { ...run.facts.delivery, webhook: ping.facts };
    if (ping.error) run.errors.push(ping.error);
    else log.info('chat ping sent', { urlEnv: ping.facts.urlEnv });
  }
  // Everything met after findings.json was rendered, the deliveries above included. What fails after this
  // line cannot be written into this manifest (the manifest's own upload, the move of the bundle into --out,
  // the job summary): it is in the run's errors, so in the exit code and the terminal (the run summary and
  // the log lines below), and, but for the job summary's own failure, in the job summary.
  const manifest = await writeManifest(bundle.dir, files, run.errors.slice(rendered.errorsInFindings));
  if (s3 && stored && !stored.error) {
    const last = await storeEvidence(bundle.dir, s3, { ...store, only: { manifestAfter: stored.facts } });
    run.facts.delivery = { ...run.facts.delivery, s3: last.facts };
    if (last.error) run.errors.push(last.error);
    else log.info('evidence stored', { location: last.facts.location, files: last.facts.uploaded });
  }
  // The bundle could not be put (wholly) in place: said on the terminal, in the job summary and the exit code.
  const placed = await bundle.commit();
  for (const e of placed) log.error('evidence not delivered', { file: e.id, message: e.message });
  run.errors.push(...placed);
  const delivery = run.errors.slice(deliveredFrom);
  if (deliveries.jobSummary && rendered.model) {
    const summary = await writeJobSummary(
      renderJobSummary(withLateProblems(rendered.model, delivery), run.facts.delivery),
    );
    if (summary === true) log.info('job summary written');
    else if (summary) run.errors.push(summary);
  }
  for (const e of run.errors.slice(deliveredFrom).filter((d) => !placed.includes(d)))
    log.error('delivery failed', { code: e.code, message: e.message });
  return [...files, manifest].map((f) => bundle.finalPath(f));
}
