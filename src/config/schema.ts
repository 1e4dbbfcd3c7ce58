import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { isIsoDateOrTimestamp } from '../shared/window.js';
import { ATHENA_DEFAULT_USD_PER_TERABYTE } from '../shared/athena-cost.js';

// The shape every AWS partition's region names share (us-east-1, cn-north-1, us-isob-east-1, eusc-de-east-1);
// which partition a region belongs to is the SDK's to say (src/aws/clients.ts).
const region = z.string().regex(/^[a-z]{2,}(-[a-z]+)+-\d+$/, 'an AWS region name such as eu-west-1');
const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit account id');
// A Glue database or table name as trailwatch writes it into SQL: lower-case letters, digits, underscores.
const athenaIdentifier = z.string().regex(/^[a-z0-9_]{1,128}$/, 'a lower-case name of letters, digits and _');

/** Per-rule overrides: turn a rule off, change its tier or risk, set its parameters. */
export const ruleOverrideSchema = z.strictObject({
  enabled: z.boolean().optional(),
  tier: z.enum(['alert', 'review']).optional(),
  risk: z.enum(['high', 'medium', 'low']).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

/** A real calendar day (2026-02-31 and 9999-99-99 are refused), optionally followed by a time. */
// One check, not a pattern plus a refinement, so an impossible date is one problem, not two.
const calendarDay = z
  .string()
  .refine(
    (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isIsoDateOrTimestamp(v),
    'a real calendar date (YYYY-MM-DD)',
  );

// A glob over a log value (picomatch; `*` matches any characters, `/` included, as in IAM policy ARNs).
const glob = z.string().min(1).max(1024);

/** An IP address or CIDR block, v4 or v6 (checked with ipaddr.js). */
const cidr = z
  .string()
  .refine(
    (v) => ipaddr.isValidCIDR(v) || ipaddr.isValid(v),
    'an IP address or CIDR block such as 203.0.113.0/24 or 2001:db8::/32',
  );

/**
 * A suppression: which findings it hides from the alert list, why, who owns it and until when. Matching
 * happens after the queries, on the findings (never in SQL). Every field given must match.
 */
export const suppressionSchema = z.strictObject({
  /** A name for the suppression, quoted in findings.json; default: its position, `suppressions[3]`. */
  id: z
    .string()
    .regex(/^[A-Za-z0-9][\w.-]{0,79}$/, 'a short name of letters, digits, _ . -')
    .optional(),
  /** A rule id, a coverage check id, or `*` for every rule and check. */
  rule: z.string().min(1),
  accountId: accountId.optional(),
  region: region.optional(),
  /** A glob over the principal ARN; a role ARN also matches the role's assumed-role sessions. */
  principal: glob.optional(),
  eventName: glob.optional(),
  /** An address or CIDR block the source IP must fall in. */
  sourceIp: cidr.optional(),
  userAgent: glob.optional(),
  reason: z.string().trim().min(1),
  owner: z.string().trim().min(1).optional(),
  /** The last day the suppression applies (at most 366 days ahead; trailwatch refuses longer). */
  expires: calendarDay,
});

/** How far back "what is new" looks. */
export const historySchema = z.strictObject({
  /** A group not seen in this many previous days is new. */
  days: z.number().int().positive().max(366).default(14),
});

/** The AWS side: how to reach the organization and each account. */
export const awsSchema = z.strictObject({
  /**
   * The home region of the AWS calls. Unset: the SDK's own chain decides (AWS_REGION, else the region of
   * the AWS_PROFILE profile, SSO profiles included), else us-east-1.
   */
  region: region.optional(),
  /** Optional role assumed first from the runner's credentials (a hub account). */
  hubRoleArn: z.string().optional(),
  /** The read-only audit role assumed in every account. */
  roleName: z.string().default('TrailwatchAudit'),
  externalId: z.string().optional(),
  /** The RoleSessionName of every assumed session: it names trailwatch in the accounts' own CloudTrail. */
  sessionName: z
    .string()
    // The audit role's trust policy (iam/audit-role.yaml) admits only sessions named trailwatch*.
    .regex(
      /^trailwatch[\w+=,.@-]{0,54}$/,
      'a role session name starting with "trailwatch" (letters, digits and +=,.@_- after it)',
    )
    .default('trailwatch'),
  /**
   * The management account: Organizations is read through the audit role there. Unset: through the runner's
   * (or hub role's) own credentials, e.g. from a delegated administrator account.
   */
  managementAccountId: accountId.optional(),
  /** Where enabled regions come from: EC2 DescribeRegions, or the Account API's ListRegions. */
  regionSource: z.enum(['ec2', 'account']).default('ec2'),
  accounts: z
    .strictObject({
      /** A static list instead of Organizations ListAccounts. */
      ids: z.array(accountId).optional(),
      include: z.array(accountId).optional(),
      exclude: z.array(accountId).optional(),
      organizationalUnits: z.array(z.string()).optional(),
    })
    .default({}),
  /** Restrict the regions audited (default: every enabled region of each account). */
  regions: z.array(region).optional(),
  // Accounts in flight: an account is mostly waiting on round trips (and, after a throttled call, on its
  // client's adaptive retry), so 64 keeps the run from being bound by latency; at 50 ms a call the fan-out
  // bench took 82.5 s at 32 and 68.2 s at 64 (5,000 accounts, load 5-6), and 128 gained nothing more.
  // Each account's calls go to its own account's quotas; only AssumeRole (at most 64 in flight) is charged
  // to the runner's or hub's account.
  concurrency: z
    .strictObject({
      global: z.number().int().positive().default(64),
      perAccount: z.number().int().positive().default(8),
    })
    .default({ global: 64, perAccount: 8 }),
  timeouts: z
    .strictObject({
      callSeconds: z.number().positive().default(20),
      accountSeconds: z.number().positive().default(180),
    })
    .default({ callSeconds: 20, accountSeconds: 180 }),
  maxAttempts: z.number().int().positive().default(5),
});

/** The query engine: embedded DuckDB over local files, or Athena over the organization's trail bucket. */
export const engineSchema = z.strictObject({
  type: z.enum(['duckdb', 'athena']).default('duckdb'),
  duckdb: z
    .strictObject({
      logs: z.string().optional(),
      threads: z.number().int().positive().optional(),
      /** DuckDB's memory limit (default 1GB); beyond it the engine spills to tempDirectory. */
      memoryLimit: z
        .string()
        .regex(/^\d+(\.\d+)?\s*[KMGT]i?B$/, 'a size such as 4GB')
        .optional(),
      /** Where the staged window and DuckDB's spill files go (default: the OS temp folder); removed after the run. */
      tempDirectory: z.string().min(1).optional(),
    })
    .default({}),
  athena: z
    .strictObject({
      workgroup: z
        .string()
        .regex(/^[a-zA-Z0-9._-]{1,128}$/, 'an Athena workgroup name')
        .default('primary'),
      // Database and table names are written into the staging SQL (identifiers cannot be bound), so they
      // are held to Glue's plain lower-case form here rather than escaped there.
      database: athenaIdentifier.default('default'),
      table: athenaIdentifier.default('cloudtrail_logs'),
      stagingDatabase: athenaIdentifier.default('trailwatch_staging'),
      outputLocation: z
        .string()
        .regex(/^s3:\/\/[^/]+/, 'an S3 URL such as s3://bucket/prefix/')
        .optional(),
      region: region.optional(),
      pollSeconds: z.number().positive().default(1),
      /** A query still running after this long is stopped (StopQueryExecution) and counted as failed. */
      queryTimeoutSeconds: z.number().positive().default(900),
      /** Athena's price in US dollars per terabyte scanned (us-east-1 list price: 5); the evidence's cost uses it. */
      usdPerTerabyte: z.number().nonnegative().max(1000).default(ATHENA_DEFAULT_USD_PER_TERABYTE),
      /** The trail bucket the CloudTrail tables read (`athena setup` writes it into their location). */
      bucket: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name such as acme-cloudtrail-logs')
        .optional(),
      /** The key prefix the trails write under, before AWSLogs/ (empty: the bucket root). */
      prefix: z
        .string()
        .regex(
          /^(?:[A-Za-z0-9!_.*()-]+\/)*[A-Za-z0-9!_.*()-]*$/,
          'an S3 key prefix such as cloudtrail/ (no quotes, no leading /)',
        )
        .default(''),
      /** The organization id in an organization trail's keys (AWSLogs/<org-id>/…); unset: from discovery. */
      organizationId: z
        .string()
        .regex(/^o-[a-z0-9]{4,32}$/, 'an organization id such as o-a1b2c3d4e5')
        .optional(),
      /** The table over per-account trails' keys (AWSLogs/<account>/…) in the same bucket. */
      accountTable: athenaIdentifier.default('cloudtrail_logs_accounts'),
      /** Which layouts the bucket holds: an organization trail's, per-account trails', or both. */
      layouts: z
        .array(z.enum(['organization', 'account']))
        .min(1)
        .default(['organization', 'account']),
      /** Before querying, add the organization's new accounts and enabled regions to the tables' projection. */
      syncTable: z.boolean().default(true),
    })
    .default({
      workgroup: 'primary',
      database: 'default',
      table: 'cloudtrail_logs',
      stagingDatabase: 'trailwatch_staging',
      pollSeconds: 1,
      queryTimeoutSeconds: 900,
      usdPerTerabyte: ATHENA_DEFAULT_USD_PER_TERABYTE,
      prefix: '',
      accountTable: 'cloudtrail_logs_accounts',
      layouts: ['organization', 'account'],
      syncTable: true,
    }),
});

/** The trail coverage audit's thresholds. */
export const coverageSchema = z.strictObject({
  /** No delivery for longer than this is a delivery error. */
  deliveryLagHours: z.number().positive().default(24),
  /** The account that holds the log archive bucket; a trail writing elsewhere in the same account is flagged. */
  logArchiveAccountId: accountId.optional(),
  /** Which account owns each trail bucket (CloudTrail does not say); used by trail-logs-in-same-account. */
  bucketOwners: z.record(z.string(), accountId).optional(),
});

/** The report: digest and evidence PDF. */
export const reportSchema = z.strictObject({
  pdf: z.boolean().default(true),
  browserPath: z.string().optional(),
  paper: z.enum(['A4', 'Letter']).default('A4'),
  maxEventsPerGroup: z.number().int().positive().default(10),
});

/** Email delivery of the digest. */
export const emailSchema = z.strictObject({
  to: z.array(z.email()).min(1),
  from: z.email(),
  transport: z.enum(['smtp', 'ses']).default('smtp'),
  smtp: z
    .strictObject({
      host: z.string(),
      port: z.number().int().positive().default(587),
      secure: z.boolean().default(false),
      user: z.string().optional(),
      /** The name of the environment variable that holds the SMTP password (never the password itself). */
      passwordEnv: z.string().optional(),
    })
    .optional(),
  sesRegion: region.optional(),
});

/** The name of an environment variable (never the secret itself). */
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as TRAILWATCH_WEBHOOK_URL');

/** Where the evidence goes besides the output folder: an S3 bucket kept for years, a chat ping. */
export const deliverSchema = z.strictObject({
  /** Upload the whole bundle to s3://bucket/prefix/<date>/<run id>/, manifest.json last. */
  s3: z
    .strictObject({
      bucket: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name such as acme-audit-evidence'),
      /** The key prefix under the bucket (no leading /); the day and run id come after it. */
      prefix: z
        .string()
        .regex(
          /^(?:[A-Za-z0-9!_.*()-]+\/)*[A-Za-z0-9!_.*()-]*$/,
          'an S3 key prefix such as trailwatch/ (no quotes, no leading /)',
        )
        .default('trailwatch/'),
      /** The bucket's region (default: aws.region); a bucket elsewhere is still found by redirect. */
      region: region.optional(),
      /** Encrypt every object with this KMS key (SSE-KMS): a key id, key ARN or alias ARN. */
      kmsKeyId: z.string().min(1).max(2048).optional(),
      /** Object Lock retention on every object (the bucket must have Object Lock enabled). */
      objectLock: z
        .strictObject({
          mode: z.enum(['GOVERNANCE', 'COMPLIANCE']),
          retentionDays: z.number().int().positive().max(36_500),
        })
        .optional(),
    })
    .optional(),
  /** A chat ping (Slack incoming webhook or any URL taking `{"text": …}`) with the run's summary. */
  webhook: z
    .strictObject({
      /** The environment variable that holds the URL (a secret: never the URL itself in the file). */
      urlEnv: envName.default('TRAILWATCH_WEBHOOK_URL'),
    })
    .optional(),
});

/** The whole trailwatch.config.yaml. Every key is optional for `scan` and `demo`. */
export const configSchema = z.strictObject({
  organization: z.string().default('AWS Organization'),
  approvedRegions: z.array(region).optional(),
  approvedImages: z
    .array(z.string().regex(/^ami-[0-9a-f]{8,17}$/, 'an AMI id such as ami-0123456789abcdef0'))
    .optional(),
  rules: z.record(z.string(), ruleOverrideSchema).default({}),
  /** Extra rule folders: each holds rules/*.yaml and queries/*.sql of your own. */
  rulesDirs: z.array(z.string()).default([]),
  suppressions: z.array(suppressionSchema).default([]),
  /** A YAML file of more suppressions (a list, or a mapping with `suppressions:`), relative to the config. */
  suppressionsFile: z.string().min(1).optional(),
  failOn: z.enum(['alert', 'never']).default('never'),
  outDir: z.string().default('out'),
  engine: engineSchema.default(engineSchema.parse({})),
  aws: awsSchema.optional(),
  coverage: coverageSchema.default({ deliveryLagHours: 24 }),
  report: reportSchema.default({ pdf: true, paper: 'A4', maxEventsPerGroup: 10 }),
  /** "What is new": how many previous days of history a group is compared with. */
  history: historySchema.default({ days: 14 }),
  email: emailSchema.optional(),
  deliver: deliverSchema.optional(),
});

/** The validated configuration. */
export type Config = z.infer<typeof configSchema>;
/** A per-rule override from the config. */
export type RuleOverride = z.infer<typeof ruleOverrideSchema>;
/**
 * A suppression from the config or its suppressionsFile. `origin` is where it was written
 * (`suppressions[2]`, `team-suppressions.yaml[0]`), set when the config is loaded, for messages and labels.
 */
export type Suppression = z.infer<typeof suppressionSchema> & { origin?: string };
