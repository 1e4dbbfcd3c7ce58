// Builders of CloudTrail records in the shapes AWS writes them: the identities, the envelope fields and, for
// the events the rules look at, requestParameters/responseElements as CloudTrail logs them (EC2's
// `{"items":[…]}` lists, RDS's camel-cased names, sign-in's additionalEventData…). Rules are written
// against these shapes, so a shape that AWS does not produce would make a rule look right when it is not.
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

/** User agents seen in real trails, by client. */
export const USER_AGENTS = {
  cli: 'aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1019-aws md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#',
  cliMac:
    'aws-cli/2.21.3 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#',
  console: 'console.amazonaws.com',
  browser:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  browserWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
  boto3: 'Boto3/1.35.70 md/Botocore#1.35.70 ua/2.0 os/linux#5.10.228-219.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.35.70',
  boto3Attacker:
    'Boto3/1.34.2 md/Botocore#1.34.2 ua/2.0 os/linux#6.5.0-kali3-amd64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.2',
  terraform:
    'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.78.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.5 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.193.0',
  sdkJs: 'aws-sdk-js/3.699.0 ua/2.1 os/linux#5.10.228-219.884.amzn2.x86_64 lang/js md/nodejs#20.18.1 api/dynamodb#3.699.0 m/E,N',
  sdkGo: 'aws-sdk-go-v2/1.32.5 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/cloudwatch#1.43.3',
  ssmAgent: 'Amazon SSM Agent/3.3.1142.0',
  awsInternal: 'AWS Internal',
} as const;

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

/** The errorCode and errorMessage AWS returns when a caller lacks permission, in the service's own words. */
export function accessDenied(
  eventSource: string,
  eventName: string,
  identity: UserIdentity,
  resource = '*',
): { errorCode: string; errorMessage: string } {
  const service = eventSource.replace('.amazonaws.com', '');
  const who = principalName(identity);
  const action = `${service}:${eventName.replace(/20\d{6}(v\d)?$/, '')}`;
  if (service === 'ec2') {
    return {
      errorCode: 'Client.UnauthorizedOperation',
      errorMessage: `You are not authorized to perform this operation. User: ${who} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
    };
  }
  const code = ['kms', 'lambda', 'secretsmanager', 'ssm', 'dynamodb', 'logs', 'ecs'].includes(service)
    ? 'AccessDeniedException'
    : 'AccessDenied';
  return {
    errorCode: code,
    errorMessage: `User: ${who} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  };
}

// ---- Request and response shapes of the events the rules look at ----

/** One ingress permission: a CIDR (IPv4 or IPv6) or nothing (then only the group's own reference). */
export interface IngressPermission {
  protocol: 'tcp' | 'udp' | '-1';
  fromPort: number;
  toPort: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  description?: string;
}

/** AuthorizeSecurityGroupIngress in the current form: `ipPermissions.items[].ipRanges.items[].cidrIp`. */
export function securityGroupIngressParameters(groupId: string, permissions: readonly IngressPermission[]): JsonObject {
  const range = (key: 'cidrIp' | 'cidrIpv6', cidr: string | undefined, description?: string): JsonObject => {
    if (!cidr) return {};
    const item: JsonObject = { [key]: cidr };
    if (description) item.description = description;
    return { items: [item] };
  };
  return {
    groupId,
    ipPermissions: {
      items: permissions.map(
        (p): JsonObject => ({
          ipProtocol: p.protocol,
          fromPort: p.fromPort,
          toPort: p.toPort,
          groups: {},
          ipRanges: range('cidrIp', p.cidrIpv4, p.description),
          ipv6Ranges: range('cidrIpv6', p.cidrIpv6, p.description),
          prefixListIds: {},
        }),
      ),
    },
  };
}

/** The legacy single-rule form of AuthorizeSecurityGroupIngress: top-level cidrIp/ipProtocol/ports. */
export function legacySecurityGroupIngressParameters(
  groupId: string,
  cidrIp: string,
  protocol: string,
  fromPort: number,
  toPort: number,
): JsonObject {
  return { groupId, ipPermissions: {}, ipProtocol: protocol, fromPort, toPort, cidrIp };
}

/** The responseElements of a successful AuthorizeSecurityGroupIngress (rule ids per permission). */
export function securityGroupIngressResponse(
  rng: Rng,
  accountId: string,
  groupId: string,
  permissions: readonly IngressPermission[],
): JsonObject {
  return {
    requestId: rng.uuid(),
    _return: true,
    securityGroupRuleSet: {
      items: permissions.map((p) => ({
        groupOwnerId: accountId,
        groupId,
        securityGroupRuleId: `sgr-${rng.hex(17)}`,
        isEgress: false,
        ipProtocol: p.protocol,
        fromPort: p.fromPort,
        toPort: p.toPort,
        ...(p.cidrIpv4 ? { cidrIpv4: p.cidrIpv4 } : {}),
        ...(p.cidrIpv6 ? { cidrIpv6: p.cidrIpv6 } : {}),
      })),
    },
  };
}

/** RunInstances requestParameters (one item in instancesSet, as the CLI and consoles send). */
export function runInstancesParameters(
  rng: Rng,
  options: { imageId: string; instanceType: string; count: number; subnetId: string; keyName?: string; tags?: Record<string, string> },
): JsonObject {
  return {
    instancesSet: { items: [{ imageId: options.imageId, minCount: options.count, maxCount: options.count, ...(options.keyName ? { keyName: options.keyName } : {}) }] },
    instanceType: options.instanceType,
    blockDeviceMapping: {},
    monitoring: { enabled: false },
    disableApiTermination: false,
    disableApiStop: false,
    clientToken: rng.uuid(),
    networkInterfaceSet: { items: [{ deviceIndex: 0, subnetId: options.subnetId, associatePublicIpAddress: true }] },
    ...(options.tags
      ? {
          tagSpecificationSet: {
            items: [
              {
                resourceType: 'instance',
                tags: Object.entries(options.tags).map(([key, value]) => ({ key, value })),
              },
            ],
          },
        }
      : {}),
  };
}

/** RunInstances responseElements: a reservation with the instances it started. */
export function runInstancesResponse(
  rng: Rng,
  accountId: string,
  options: { imageId: string; instanceType: string; count: number; subnetId: string; availabilityZone: string },
): { response: JsonObject; instanceIds: string[] } {
  const instanceIds = Array.from({ length: options.count }, () => `i-${rng.hex(17)}`);
  return {
    instanceIds,
    response: {
      requestId: rng.uuid(),
      reservationId: `r-${rng.hex(17)}`,
      ownerId: accountId,
      groupSet: {},
      instancesSet: {
        items: instanceIds.map((instanceId, amiLaunchIndex) => ({
          instanceId,
          imageId: options.imageId,
          currentInstanceBootMode: 'uefi',
          instanceState: { code: 0, name: 'pending' },
          amiLaunchIndex,
          productCodes: {},
          instanceType: options.instanceType,
          placement: { availabilityZone: options.availabilityZone, tenancy: 'default' },
          monitoring: { state: 'disabled' },
          subnetId: options.subnetId,
          privateIpAddress: `10.${rng.int(0, 40)}.${rng.int(0, 255)}.${rng.int(4, 250)}`,
          stateReason: { code: 'pending', message: 'pending' },
          architecture: 'x86_64',
          rootDeviceType: 'ebs',
          rootDeviceName: '/dev/xvda',
          virtualizationType: 'hvm',
          hypervisor: 'xen',
          groupSet: { items: [{ groupId: `sg-${rng.hex(17)}`, groupName: 'default' }] },
        })),
      },
      requesterId: '',
    },
  };
}

/** The parts of a ConsoleLogin record: AWS logs the outcome in responseElements and MFA in additionalEventData. */
export function consoleLoginParts(options: {
  accountId: string;
  success: boolean;
  mfaUsed: boolean;
}): Pick<EventInput, 'responseElements' | 'additionalEventData' | 'errorMessage' | 'eventType' | 'readOnly'> {
  return {
    eventType: 'AwsConsoleSignIn',
    readOnly: false,
    responseElements: { ConsoleLogin: options.success ? 'Success' : 'Failure' },
    additionalEventData: {
      LoginTo: 'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_4f1a2b3c4d5e6f70',
      MobileVersion: 'No',
      MFAUsed: options.mfaUsed ? 'Yes' : 'No',
      ...(options.mfaUsed ? { MFAIdentifier: `arn:aws:iam::${options.accountId}:mfa/primary-device` } : {}),
    },
    ...(options.success ? {} : { errorMessage: 'Failed authentication' }),
  };
}

/** An ARN-only resource entry, as CloudTrail lists it. */
export function resource(accountId: string, type: string, arn: string): ResourceRef {
  return { accountId, type, ARN: arn };
}
