// Every code a RunErrorEntry can carry, with its human title, in one place. The codes are a closed union: a
// typo in a code is a type error, and a code added anywhere must be added (and titled) here first.

/** What a failed AWS call is called, whatever the service (aws/errors.ts picks one from what the SDK threw). */
const AWS_CALL_TITLES = {
  'access-denied': 'Access denied to an AWS call',
  'assume-role-denied': 'The audit role could not be assumed (access denied)',
  'assume-role-failed': 'The audit role could not be assumed',
  throttled: 'AWS throttled the calls',
  'call-timeout': 'An AWS call timed out',
  aborted: 'An AWS call was aborted',
  'malformed-response': 'AWS answered something that could not be read',
  'service-unavailable': 'The AWS service was unavailable',
  'trail-not-found': 'The trail was not found',
  'aws-error': 'An AWS call failed',
} as const;

/** The code of a failed AWS call. */
export type AwsCallCode = keyof typeof AWS_CALL_TITLES;

/** Discovery's DescribeOrganization failed: the AWS call's code, prefixed. */
type DescribeOrganizationCode = `describe-organization-${AwsCallCode}`;

const DESCRIBE_ORGANIZATION_TITLES = Object.fromEntries(
  Object.entries(AWS_CALL_TITLES).map(([code, title]) => [
    `describe-organization-${code}`,
    `The organization could not be described: ${title.charAt(0).toLowerCase()}${title.slice(1)}`,
  ]),
) as Record<DescribeOrganizationCode, string>;

const TITLES = {
  // Accounts and regions (discover, trails).
  'no-accounts-to-audit': 'No account to audit',
  'no-accounts-audited': 'No account could be audited',
  'list-accounts-failed': 'The accounts could not all be listed',
  'account-failed': 'Account not audited',
  'account-timeout': "The account's audit ran out of time",
  'collector-failed': "The account's audit failed unexpectedly",
  'account-no-events': 'A logging account had no events in the logs read',
  'account-state-unknown': 'Account in a state trailwatch does not know',
  'account-pending-activation': 'Account pending activation: not audited',
  'account-suspended': 'Account suspended: not audited',
  'account-pending-closure': 'Account pending closure: not audited',
  'account-closed': 'Account closed: not audited',
  'trail-selectors-unavailable': "A trail's event selectors could not be read",
  'trail-status-unavailable': "A trail's status could not be read",
  // Log files and records (engine).
  'folder-unreadable': 'A folder of logs could not be read',
  'folder-already-read': 'A folder was reached twice (a link) and read once',
  'link-dangling': 'A link points nowhere',
  'file-not-regular': 'Not a regular file',
  'file-already-read': 'A file was reached twice (a link) and read once',
  'file-unreadable': 'A log file could not be read',
  'file-empty': 'A log file was empty',
  'file-not-cloudtrail': 'A file is not CloudTrail',
  'file-crashed-reader': 'A log file crashed the reader',
  'object-unreadable': 'A log object could not be read',
  'records-without-time': 'Records without a usable event time',
  'records-incomplete': 'Records evaluated with fields missing',
  // The query engine.
  'staging-failed': 'The logs could not be read',
  'engine-out-of-memory': 'The engine ran out of memory',
  'engine-out-of-disk': 'The engine ran out of disk space',
  'events-by-account-failed': 'The events could not be counted per account',
  'no-events-in-window': 'No CloudTrail events in the window',
  'athena-table-not-synced': "An Athena table's projection could not be updated",
  'athena-table-unreadable': 'An Athena table could not be read',
  'athena-table-missing-account': 'An Athena table does not project an account',
  'athena-table-missing-region': 'An Athena table does not project a region',
  // Rules and suppressions.
  'rule-failed': 'A rule failed',
  'rule-not-evaluated': 'A rule was not evaluated',
  'rule-not-configured': 'A rule is not configured',
  'suppression-expired': 'A suppression expired',
  'history-unreadable': 'The previous history could not be used (nothing marked new or recurring)',
  // The report and its delivery.
  'pdf-browser-missing': 'No browser to print evidence.pdf',
  'pdf-failed': 'evidence.pdf could not be printed',
  'digest-failed': 'The digest could not be rendered',
  'output-not-written': 'Evidence could not be written to the output folder',
  'email-not-sent': 'The digest was not sent',
  'email-not-configured': 'No email transport',
  'email-send-failed': 'Sending the digest failed',
  'job-summary-not-written': 'The job summary could not be written',
  'evidence-not-uploaded': 'The evidence could not be stored in S3',
  'webhook-failed': 'The chat ping was not delivered',
} as const;

/** Every error code with its human title. */
export const ERROR_TITLES = { ...TITLES, ...AWS_CALL_TITLES, ...DESCRIBE_ORGANIZATION_TITLES };

/** A stable kebab-case error code: one of ERROR_TITLES' keys. */
export type ErrorCode = keyof typeof ERROR_TITLES;

/** Every error code, for schemas that read codes back from a file (an org snapshot). */
export const ERROR_CODES = Object.keys(ERROR_TITLES) as [ErrorCode, ...ErrorCode[]];

/** The human title of an error code. */
export function errorTitle(code: ErrorCode): string {
  return ERROR_TITLES[code];
}
