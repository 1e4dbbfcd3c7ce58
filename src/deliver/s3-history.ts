// The previous history when the bundle is kept in S3 (`deliver.s3`): a runner whose output folder does not
// survive the run (GitHub Actions) finds yesterday's history.json in the bucket, under
// <prefix><date>/<run id>/history.json as the upload put it. The nearest earlier day with a history wins, and
// within a day the latest run (run ids sort by time). Read with the run's client factory (the runner's or
// hub's credentials), like the upload.
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { ClientFactory } from '../aws/clients.js';
import type { Config } from '../config/schema.js';
import { daysBefore, HISTORY_FILE } from '../classify/history.js';
import { firstHistory, folderHistory, HISTORY_MAX_BYTES, type HistorySource } from './history-file.js';
import type { S3DeliverySettings } from './s3.js';

/** The key of the latest run's history.json under one day's prefix, or null. */
async function latestHistoryKey(client: S3Client, bucket: string, dayPrefix: string): Promise<string | null> {
  let latest: string | null = null;
  for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: dayPrefix })) {
    for (const object of page.Contents ?? []) {
      const key = object.Key ?? '';
      // <day prefix><run id>/history.json, and nothing deeper.
      if (!key.endsWith(`/${HISTORY_FILE}`) || key.slice(dayPrefix.length).split('/').length !== 2) continue;
      if ((object.Size ?? 0) > HISTORY_MAX_BYTES) continue;
      if (latest === null || key > latest) latest = key;
    }
  }
  return latest;
}

/**
 * The history kept in the evidence bucket: the latest run's history.json of the nearest day before `date`
 * within `days` days. Its `where` names the prefix searched until a file is found, then the file.
 */
export function s3History(
  settings: S3DeliverySettings,
  run: { clients: ClientFactory; date: string; days: number },
): HistorySource {
  const base =
    settings.prefix === '' || settings.prefix.endsWith('/') ? settings.prefix : `${settings.prefix}/`;
  const source: HistorySource = {
    where: `s3://${settings.bucket}/${base}`,
    async read() {
      const client = run.clients.s3(settings.region);
      try {
        for (let back = 1; back <= run.days; back += 1) {
          const key = await latestHistoryKey(
            client,
            settings.bucket,
            `${base}${daysBefore(run.date, back)}/`,
          );
          if (key === null) continue;
          source.where = `s3://${settings.bucket}/${key}`;
          const object = await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key: key }));
          return (await object.Body?.transformToString('utf8')) ?? null;
        }
        return null;
      } finally {
        client.destroy();
      }
    },
  };
  return source;
}

/** What says where a run's previous history is. */
export type HistoryInput =
  | {
      output: 'bundle';
      outDir: string;
      /** Where the previous history is, when the caller says (the tests' earlier folder). */
      history?: HistorySource;
      deliveries: { s3: boolean };
    }
  | { output: 'coverage-files' };

/**
 * Where a run reads the previous days' history: the input's when given; else, with the bundle kept in S3,
 * the bucket first (a CI runner's output folder does not survive), then the previous bundle in --out. A run
 * without a bundle (`coverage`) has none: history is kept in bundles, and it judges no rule finding.
 */
export function previousHistory(
  input: HistoryInput,
  config: Pick<Config, 'deliver' | 'history'>,
  run: { clients: ClientFactory; date: string },
): HistorySource | undefined {
  if (input.output === 'coverage-files') return undefined;
  if (input.history) return input.history;
  const s3 = input.deliveries.s3 ? config.deliver?.s3 : undefined;
  const bucket = s3 ? [s3History(s3, { ...run, days: config.history.days })] : [];
  return firstHistory([...bucket, folderHistory(input.outDir)]);
}
