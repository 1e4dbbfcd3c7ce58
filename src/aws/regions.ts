// Every region of an AWS partition, opt-in regions included, as the SDK's own endpoint data lists them. The
// Athena table's projection must name every region a trail can deliver from: a hand-kept list silently
// misses the opt-in regions, which is where an attacker launches first.
import { partition } from '@aws-sdk/core/client';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const partitionsSchema = z.object({
  partitions: z.array(
    z.object({
      id: z.string(),
      regionRegex: z.string(),
      regions: z.record(z.string(), z.unknown()),
    }),
  ),
});

type Partitions = z.infer<typeof partitionsSchema>['partitions'];
let cached: Partitions | undefined;

// The SDK resolves endpoints with this data but exports only a per-region lookup (`partition`); the list
// itself sits in @aws-sdk/core's endpoint module, a plain object literal in JSON form.
function partitions(): Partitions {
  if (cached) return cached;
  const root = dirname(createRequire(import.meta.url).resolve('@aws-sdk/core/package.json'));
  const file = join(root, 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error(`no partition data in ${file}`);
  cached = partitionsSchema.parse(JSON.parse(text.slice(start, end + 1))).partitions;
  return cached;
}

/** The partition (`aws`, `aws-cn`, `aws-us-gov`, …) a region belongs to, as the SDK resolves it. */
export function partitionOf(region: string): string {
  return partition(region).name;
}

/**
 * Every region of `partitionId`, sorted: the ones enabled by default and the opt-in ones alike. Pseudo
 * regions such as `aws-global` (no CloudTrail delivers from them) are left out.
 */
export function regionsOfPartition(partitionId: string): string[] {
  const found = partitions().find((p) => p.id === partitionId);
  if (!found) throw new Error(`the AWS SDK knows no partition ${partitionId}`);
  const pattern = new RegExp(found.regionRegex);
  return Object.keys(found.regions)
    .filter((r) => pattern.test(r))
    .sort();
}
