// The requestParameters and responseElements of the events the rules look at, as CloudTrail logs them (EC2's
// `{"items":[…]}` lists, RDS's camel-cased names, sign-in's additionalEventData…), and the error AWS returns
// when a caller lacks permission.
import type { EventInput, JsonObject, ResourceRef, UserIdentity } from './cloudtrail.js';
import { principalName } from './cloudtrail.js';
import type { Rng } from './random.js';

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
