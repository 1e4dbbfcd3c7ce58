// The org snapshot: plain JSON of what AWS answered about every account's regions and trails. The collector
// writes it, the evaluator reads it, and a saved one replays offline (demo, tests, evidence). It never holds a
// credential: only names, ARNs of trails, statuses and selectors.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { formatIssues } from '../config/load.js';
import { ERROR_CODES } from '../shared/error-codes.js';
import { InputError, errorMessage } from '../shared/errors.js';

const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'an ISO UTC timestamp');
const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit account id');

/** A failure recorded in the snapshot: a stable kebab-case code and AWS's message (cleaned of session ARNs). */
export const snapshotErrorSchema = z.strictObject({ code: z.enum(ERROR_CODES), message: z.string() });

/** One basic event selector, as GetEventSelectors answered. */
export const eventSelectorSchema = z.strictObject({
  readWriteType: z.enum(['ReadOnly', 'WriteOnly', 'All']).nullable(),
  includeManagementEvents: z.boolean().nullable(),
  excludeManagementEventSources: z.array(z.string()),
  dataResourceTypes: z.array(z.string()),
});

/** One field condition of an advanced event selector. */
export const fieldSelectorSchema = z.strictObject({
  field: z.string(),
  equals: z.array(z.string()).optional(),
  notEquals: z.array(z.string()).optional(),
  startsWith: z.array(z.string()).optional(),
  notStartsWith: z.array(z.string()).optional(),
  endsWith: z.array(z.string()).optional(),
  notEndsWith: z.array(z.string()).optional(),
});

/** One advanced event selector. */
export const advancedEventSelectorSchema = z.strictObject({
  name: z.string().nullable(),
  fieldSelectors: z.array(fieldSelectorSchema),
});

/** GetTrailStatus's answer, the fields the evaluator uses. */
export const trailStatusSchema = z.strictObject({
  isLogging: z.boolean(),
  latestDeliveryTime: isoTime.nullable(),
  latestDeliveryError: z.string().nullable(),
  startLoggingTime: isoTime.nullable(),
  stopLoggingTime: isoTime.nullable(),
});

/** One trail that applies to the account (its own, or an organization trail seen from the account). */
export const trailRecordSchema = z.strictObject({
  arn: z.string().min(1),
  name: z.string().min(1),
  /** The account that owns the trail (from its ARN): the management account for an organization trail. */
  ownerAccountId: accountId,
  homeRegion: z.string().min(1),
  isMultiRegion: z.boolean(),
  isOrganizationTrail: z.boolean(),
  includeGlobalServiceEvents: z.boolean(),
  s3BucketName: z.string().nullable(),
  kmsKeyId: z.string().nullable(),
  logFileValidationEnabled: z.boolean(),
  /** Null when GetTrailStatus failed (see errors). */
  status: trailStatusSchema.nullable(),
  /** Null when GetEventSelectors failed; [] when the trail has none of that kind. */
  eventSelectors: z.array(eventSelectorSchema).nullable(),
  advancedEventSelectors: z.array(advancedEventSelectorSchema).nullable(),
  /** Calls about this trail that failed (GetTrailStatus, GetEventSelectors). */
  errors: z.array(snapshotErrorSchema.extend({ operation: z.string() })),
});

/** A region as the account's region list answered it. */
export const regionRecordSchema = z.strictObject({
  name: z.string().min(1),
  /** `opt-in-not-required`, `opted-in` or `not-opted-in` (EC2's words; the Account API's are mapped onto them). */
  optInStatus: z.enum(['opt-in-not-required', 'opted-in', 'not-opted-in']),
});

/** One account of the organization and what its audit found (or why it could not be audited). */
export const accountRecordSchema = z.strictObject({
  id: accountId,
  name: z.string().nullable(),
  email: z.string().nullable(),
  /**
   * The account's state in Organizations (`State`: ACTIVE, SUSPENDED, PENDING_CLOSURE, PENDING_ACTIVATION,
   * CLOSED, or the retired `Status` when `State` is absent), or `STATIC` when listed in the config.
   */
  orgStatus: z.string(),
  ou: z.string().nullable(),
  /**
   * Whether the audit reached the account: `not-active` when it was not attempted because of the
   * account's state (error says which).
   */
  status: z.enum(['audited', 'failed', 'not-active']),
  error: snapshotErrorSchema.nullable(),
  regions: z.array(regionRecordSchema),
  trails: z.array(trailRecordSchema),
  /** API calls made for this account by trailwatch (not counting retries and AssumeRole). */
  calls: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
});

/** A run-level failure recorded with the snapshot (account discovery). */
export const snapshotRunErrorSchema = z.strictObject({
  scope: z.enum(['account', 'region', 'rule', 'file', 'engine', 'report', 'delivery', 'run']),
  id: z.string(),
  code: z.enum(ERROR_CODES),
  message: z.string(),
});

/** The whole org snapshot file. */
export const orgSnapshotSchema = z.strictObject({
  kind: z.literal('trailwatch-org-snapshot'),
  version: z.literal(1),
  collectedAt: isoTime,
  organizationId: z.string().nullable(),
  managementAccountId: accountId.nullable(),
  /** The region the account-wide calls were made in (ListTrails, DescribeRegions). */
  homeRegion: z.string(),
  /** Regions the config restricted the audit to; null: every enabled region. */
  regionFilter: z.array(z.string()).nullable(),
  logArchiveAccountId: accountId.nullable(),
  /** Bucket name → owning account id, where known (from the config). */
  bucketOwners: z.record(z.string(), accountId),
  accounts: z.array(accountRecordSchema),
  errors: z.array(snapshotRunErrorSchema),
});

/** The org snapshot: what AWS answered, per account. */
export type OrgSnapshot = z.infer<typeof orgSnapshotSchema>;
/** One account of an org snapshot. */
export type AccountRecord = z.infer<typeof accountRecordSchema>;
/** One trail as seen from an account. */
export type TrailRecord = z.infer<typeof trailRecordSchema>;
/** A basic event selector. */
export type EventSelectorRecord = z.infer<typeof eventSelectorSchema>;
/** An advanced event selector. */
export type AdvancedEventSelectorRecord = z.infer<typeof advancedEventSelectorSchema>;
/** GetTrailStatus, as recorded. */
export type TrailStatusRecord = z.infer<typeof trailStatusSchema>;
/** A region record. */
export type RegionRecord = z.infer<typeof regionRecordSchema>;

/** Validates a parsed snapshot; throws InputError listing every problem. */
export function parseOrgSnapshot(input: unknown, source = 'org snapshot'): OrgSnapshot {
  const result = orgSnapshotSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = formatIssues(result.error.issues, input);
  const shown = problems.slice(0, 20).join('; ');
  const more = problems.length > 20 ? ` (and ${problems.length - 20} more)` : '';
  throw new InputError(`${source} is not a valid org snapshot: ${shown}${more}`);
}

/** Reads and validates an org snapshot file; throws InputError when it is unreadable or invalid. */
export async function loadOrgSnapshot(file: string): Promise<OrgSnapshot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read org snapshot ${file}: ${errorMessage(error)}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`org snapshot ${file} is not JSON: ${errorMessage(error)}`, { cause: error });
  }
  return parseOrgSnapshot(parsed, file);
}

/** Writes an org snapshot as indented JSON (creating the folder). */
export async function saveOrgSnapshot(file: string, snapshot: OrgSnapshot): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, orgSnapshotText(snapshot), 'utf8');
}

/** The org snapshot file's text. */
export function orgSnapshotText(snapshot: OrgSnapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}
