// Builders of CloudTrail records in the shapes AWS writes them: the identities and the envelope fields. The
// requestParameters/responseElements of the events the rules look at are built in event-shapes.ts. Rules
// are written against these shapes, so a shape that AWS does not produce would make a rule look right when
// it is not.
import type { Rng } from './random.js';
import { stableRng } from './random.js';

/** A JSON value, as found inside requestParameters and responseElements. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** The kinds of caller CloudTrail records in userIdentity.type. */
export type IdentityType = 'IAMUser' | 'AssumedRole' | 'Root' | 'AWSService' | 'FederatedUser' | 'AWSAccount';
/** CloudTrail's eventType values for management events. */
export type EventType = 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent';

/** The principal that issued temporary credentials (a role, or an IAM user for a federation token). */
export interface SessionIssuer {
  type: 'Role' | 'IAMUser';
  principalId: string;
  arn: string;
  accountId: string;
  userName: string;
}

/** userIdentity.sessionContext. */
export interface SessionContext {
  sessionIssuer?: SessionIssuer;
  webIdFederationData?: JsonObject;
  attributes: { creationDate: string; mfaAuthenticated: 'true' | 'false' };
}

/** userIdentity: who made the call. */
export interface UserIdentity {
  type: IdentityType;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: SessionContext;
  invokedBy?: string;
}

/** One entry of `resources`. */
export interface ResourceRef {
  accountId?: string;
  type: string;
  ARN: string;
}

/** tlsDetails, present for calls that reached a public endpoint over TLS. */
export interface TlsDetails {
  tlsVersion: string;
  cipherSuite: string;
  clientProvidedHostHeader: string;
}

/** One CloudTrail record, keys in the order CloudTrail writes them. */
export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: JsonObject | null;
  responseElements: JsonObject | null;
  additionalEventData?: JsonObject;
  requestID?: string;
  eventID: string;
  readOnly: boolean;
  resources?: ResourceRef[];
  eventType: EventType;
  managementEvent: boolean;
  recipientAccountId: string;
  sharedEventID?: string;
  eventCategory: 'Management';
  tlsDetails?: TlsDetails;
  sessionCredentialFromConsole?: 'true';
}

/** A caller as the generator uses it: an identity plus where its calls come from. */
export interface Actor {
  identity: UserIdentity;
  sourceIPAddress: string;
  userAgent: string;
  /** The session is a console session: CloudTrail marks its calls with sessionCredentialFromConsole. */
  console: boolean;
}

const TLS_SUITES: readonly (readonly [string, string])[] = [
  ['TLSv1.3', 'TLS_AES_128_GCM_SHA256'],
  ['TLSv1.3', 'TLS_AES_256_GCM_SHA384'],
  ['TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256'],
];

// Services whose API is global: AWS logs them in us-east-1 whatever region the caller chose.
const GLOBAL_SOURCES = new Set([
  'iam.amazonaws.com',
  'organizations.amazonaws.com',
  'route53.amazonaws.com',
  'signin.amazonaws.com',
]);

/** True for services whose events CloudTrail records in us-east-1 only. */
export function isGlobalSource(eventSource: string): boolean {
  return GLOBAL_SOURCES.has(eventSource);
}

/** A stable id like AIDA… or AROA…: the same principal name always gets the same id, in every run. */
export function stableId(prefix: string, key: string, length = 17): string {
  return prefix + stableRng(`${prefix}:${key}`).upperAlnum(length);
}

/** An ISO timestamp without milliseconds, as CloudTrail writes eventTime. */
export function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** An IAM user calling with a long-term access key (AKIA…), or in a console session. */
export function iamUserActor(
  accountId: string,
  userName: string,
  where: { ip: string; userAgent: string; console?: boolean },
): Actor {
  const console = where.console ?? false;
  return {
    identity: {
      type: 'IAMUser',
      principalId: stableId('AIDA', `${accountId}:${userName}`),
      arn: `arn:aws:iam::${accountId}:user/${userName}`,
      accountId,
      // A console session uses temporary credentials; an access key is AKIA + 16.
      accessKeyId: console
        ? stableId('ASIA', `${accountId}:${userName}:console`, 16)
        : stableId('AKIA', `${accountId}:${userName}`, 16),
      userName,
      ...(console
        ? { sessionContext: { attributes: { creationDate: '', mfaAuthenticated: 'true' as const } } }
        : {}),
    },
    sourceIPAddress: where.ip,
    userAgent: where.userAgent,
    console,
  };
}

/** A role session (AssumedRole): SSO users, CI, workloads, service-linked roles. */
export function assumedRoleActor(
  accountId: string,
  roleName: string,
  sessionName: string,
  where: {
    ip: string;
    userAgent: string;
    path?: string;
    mfa?: boolean;
    console?: boolean;
    invokedBy?: string;
  },
): Actor {
  const roleId = stableId('AROA', `${accountId}:${roleName}`);
  return {
    identity: {
      type: 'AssumedRole',
      principalId: `${roleId}:${sessionName}`,
      arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      accountId,
      accessKeyId: stableId('ASIA', `${accountId}:${roleName}:${sessionName}`, 16),
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: roleId,
          arn: `arn:aws:iam::${accountId}:role/${where.path ?? ''}${roleName}`,
          accountId,
          userName: roleName,
        },
        webIdFederationData: {},
        attributes: { creationDate: '', mfaAuthenticated: where.mfa ? 'true' : 'false' },
      },
      ...(where.invokedBy ? { invokedBy: where.invokedBy } : {}),
    },
    sourceIPAddress: where.ip,
    userAgent: where.userAgent,
    console: where.console ?? false,
  };
}

/** The account's root user. `invokedBy` set means an AWS service acted on the root's behalf. */
export function rootActor(
  accountId: string,
  where: { ip: string; userAgent: string; console?: boolean; invokedBy?: string; mfa?: boolean },
): Actor {
  const console = where.console ?? false;
  return {
    identity: {
      type: 'Root',
      principalId: accountId,
      arn: `arn:aws:iam::${accountId}:root`,
      accountId,
      accessKeyId: console ? stableId('ASIA', `${accountId}:root:console`, 16) : '',
      ...(console
        ? {
            sessionContext: {
              attributes: { creationDate: '', mfaAuthenticated: where.mfa ? ('true' as const) : ('false' as const) },
            },
          }
        : {}),
      ...(where.invokedBy ? { invokedBy: where.invokedBy } : {}),
    },
    sourceIPAddress: where.ip,
    userAgent: where.userAgent,
    console,
  };
}

/** An AWS service calling with its own identity (the source IP and user agent are the service's name). */
export function awsServiceActor(service: string): Actor {
  return {
    identity: { type: 'AWSService', invokedBy: service },
    sourceIPAddress: service,
    userAgent: service,
    console: false,
  };
}

/** A federated user (GetFederationToken) issued by an IAM user. */
export function federatedUserActor(
  accountId: string,
  issuerUserName: string,
  federatedName: string,
  where: { ip: string; userAgent: string },
): Actor {
  const issuerId = stableId('AIDA', `${accountId}:${issuerUserName}`);
  return {
    identity: {
      type: 'FederatedUser',
      principalId: `${accountId}:${federatedName}`,
      arn: `arn:aws:sts::${accountId}:federated-user/${federatedName}`,
      accountId,
      accessKeyId: stableId('ASIA', `${accountId}:federated:${federatedName}`, 16),
      sessionContext: {
        sessionIssuer: {
          type: 'IAMUser',
          principalId: issuerId,
          arn: `arn:aws:iam::${accountId}:user/${issuerUserName}`,
          accountId,
          userName: issuerUserName,
        },
        attributes: { creationDate: '', mfaAuthenticated: 'false' },
      },
    },
    sourceIPAddress: where.ip,
    userAgent: where.userAgent,
    console: false,
  };
}

/** A principal of another account using a resource shared with this one: CloudTrail shows only its account. */
export function awsAccountActor(callerAccountId: string, principalId: string, where: { ip: string; userAgent: string }): Actor {
  return {
    identity: { type: 'AWSAccount', principalId, accountId: callerAccountId },
    sourceIPAddress: where.ip,
    userAgent: where.userAgent,
    console: false,
  };
}

/** The ARN a rule would show as the principal (the account id for AWSAccount, the service for AWSService). */
export function principalName(identity: UserIdentity): string {
  return identity.arn ?? identity.invokedBy ?? identity.accountId ?? 'unknown';
}

/** What one event needs beyond what the builder fills in. */
export interface EventInput {
  actor: Actor;
  /** Epoch milliseconds. */
  time: number;
  /** The account whose trail records the event (recipientAccountId). */
  accountId: string;
  region: string;
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  requestParameters?: JsonObject | null;
  responseElements?: JsonObject | null;
  additionalEventData?: JsonObject;
  resources?: ResourceRef[];
  eventType?: EventType;
  errorCode?: string;
  errorMessage?: string;
  /** Replaces the actor's identity for this one event (e.g. ConsoleLogin has no session yet). */
  identity?: UserIdentity;
  sharedEventID?: string;
}

function endpointHost(source: string, region: string): string {
  const service = source.replace('.amazonaws.com', '');
  switch (source) {
    case 'iam.amazonaws.com':
    case 'route53.amazonaws.com':
      return source;
    case 'organizations.amazonaws.com':
      return 'organizations.us-east-1.amazonaws.com';
    case 'signin.amazonaws.com':
      return 'signin.aws.amazon.com';
    case 's3.amazonaws.com':
      return region === 'us-east-1' ? 's3.amazonaws.com' : `s3.${region}.amazonaws.com`;
    default:
      return `${service}.${region}.amazonaws.com`;
  }
}

// Sources still writing eventVersion 1.08 in our sample; the rest write 1.09 (both occur in real trails).
const VERSION_108 = new Set(['signin.amazonaws.com', 's3.amazonaws.com', 'route53.amazonaws.com', 'ssm.amazonaws.com']);

/** Fills in a whole CloudTrail record around an event: ids, envelope fields, TLS details. */
export function buildRecord(rng: Rng, input: EventInput): CloudTrailRecord {
  const { actor } = input;
  const base = input.identity ?? actor.identity;
  const context = base.sessionContext;
  // A session starts before the call; CloudTrail records when.
  const identity: UserIdentity = context
    ? {
        ...base,
        sessionContext: {
          ...context,
          attributes: {
            creationDate: isoSeconds(input.time - (Math.floor(input.time / 1000) % 3000) * 1000 - 60_000),
            mfaAuthenticated: context.attributes.mfaAuthenticated,
          },
        },
      }
    : base;
  const fromService = !/^\d/.test(actor.sourceIPAddress) && !actor.sourceIPAddress.includes(':');
  const eventType = input.eventType ?? 'AwsApiCall';
  // Keys in CloudTrail's order; a failed call has no responseElements (sign-in failures keep theirs).
  const record: CloudTrailRecord = {
    eventVersion: VERSION_108.has(input.eventSource) ? '1.08' : '1.09',
    userIdentity: identity,
    eventTime: isoSeconds(input.time),
    eventSource: input.eventSource,
    eventName: input.eventName,
    awsRegion: input.region,
    sourceIPAddress: actor.sourceIPAddress,
    userAgent: actor.userAgent,
    ...(input.errorCode ? { errorCode: input.errorCode } : {}),
    ...(input.errorMessage ? { errorMessage: input.errorMessage } : {}),
    requestParameters: input.requestParameters ?? null,
    responseElements: input.errorCode ? null : (input.responseElements ?? null),
    ...(input.additionalEventData ? { additionalEventData: input.additionalEventData } : {}),
    ...(eventType === 'AwsApiCall'
      ? { requestID: input.eventSource === 's3.amazonaws.com' ? rng.upperAlnum(16) : rng.uuid() }
      : {}),
    eventID: rng.uuid(),
    readOnly: input.readOnly,
    ...(input.resources ? { resources: input.resources } : {}),
    eventType,
    managementEvent: true,
    recipientAccountId: input.accountId,
    ...(input.sharedEventID ? { sharedEventID: input.sharedEventID } : {}),
    eventCategory: 'Management',
  };
  if (!fromService && eventType !== 'AwsServiceEvent') {
    const [tlsVersion, cipherSuite] = rng.pick(TLS_SUITES);
    record.tlsDetails = {
      tlsVersion,
      cipherSuite,
      clientProvidedHostHeader: endpointHost(input.eventSource, input.region),
    };
  }
  if (actor.console && eventType !== 'AwsConsoleSignIn') record.sessionCredentialFromConsole = 'true';
  return record;
}

// The clients' user agents live beside this file, as do the request and response shapes (event-shapes.ts).
export { USER_AGENTS } from './user-agents.js';
