// Turns what the SDK throws into a stable kebab-case code and a message fit for output: AWS's messages can
// carry the caller's session ARN (`arn:aws:sts::123:assumed-role/Role/session`), which never leaves the run.
import { redactSecrets } from '../shared/log.js';
import type { AwsCallCode } from '../shared/error-codes.js';
import { errorMessage } from '../shared/errors.js';

/** Where in an account's audit a call failed: assuming the role, or a call made with its credentials. */
export type AwsStage = 'assume-role' | 'call';

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthFailure',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'AWSOrganizationsNotInUseException',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
]);

/** Removes session ARNs and anything credential-like from an AWS error message. */
export function cleanAwsMessage(message: string): string {
  return redactSecrets(
    message.replace(
      /arn:aws[\w-]*:sts::(\d{12}):assumed-role\/[^\s"',]+/g,
      'arn:aws:sts::$1:assumed-role/[session]',
    ),
  ).slice(0, 500);
}

/** A stable code and a clean message for an error thrown by an SDK call (or by the credential chain). */
export function classifyAwsError(error: unknown, stage: AwsStage): { code: AwsCallCode; message: string } {
  const name = error instanceof Error ? error.name : '';
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  const raw = errorMessage(error);
  const message = cleanAwsMessage(name && !raw.startsWith(name) ? `${name}: ${raw}` : raw);
  let code: AwsCallCode;
  if (DENIED.has(name)) code = stage === 'assume-role' ? 'assume-role-denied' : 'access-denied';
  else if (THROTTLED.has(name)) code = 'throttled';
  else if (name === 'TimeoutError' || name === 'RequestTimeout' || /timed? ?out/i.test(raw))
    code = 'call-timeout';
  else if (name === 'AbortError') code = 'aborted';
  else if (name === 'SyntaxError' || /deserializ|parse|unexpected end/i.test(raw))
    code = 'malformed-response';
  else if (status !== undefined && status >= 500) code = 'service-unavailable';
  else if (name === 'TrailNotFoundException') code = 'trail-not-found';
  else code = stage === 'assume-role' ? 'assume-role-failed' : 'aws-error';
  return { code, message };
}
