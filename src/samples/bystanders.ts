// The people around the incident on the second day: AWS acting for root (not root use), the security team
// investigating (read-only twins, a selector change that keeps management events), the platform lead
// fencing the organization with an SCP after one mistyped password, and a developer trying things. None of
// it is the attacker; all of it is new that day.
import type { Actor } from './cloudtrail.js';
import { USER_AGENTS, assumedRoleActor, iamUserActor, rootActor } from './cloudtrail.js';
import { accessDenied, consoleLoginParts, runInstancesParameters, runInstancesResponse, securityGroupIngressParameters } from './event-shapes.js';
import { EXFIL_BUCKET } from './incident.js';
import { ACCOUNT, IPS, ssoRole } from './org.js';
import { stableRng } from './random.js';
import type { StoryWriter } from './story.js';

/** A stock Ubuntu AMI a developer launches in an approved region: not on the approved list either. */
export const DEVELOPER_AMI = 'ami-0c55b159cbfafe1f0';

/** The second day's events of people (and AWS) around the incident. */
export function bystandersDay(writer: StoryWriter): void {
  const { add, at, rng } = writer;
  const { dev, prod, management, security } = ACCOUNT;
  const bucket = EXFIL_BUCKET;
  const ssh = [{ protocol: 'tcp' as const, fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }];

  // Near-misses during the night: AWS acting for root is not root use.
  add(
    { actor: rootActor(prod, { ip: 'trustedadvisor.amazonaws.com', userAgent: 'trustedadvisor.amazonaws.com' }), time: at(6, 0, 0), accountId: prod, region: 'us-east-1', eventSource: 'trustedadvisor.amazonaws.com', eventName: 'RefreshCheck', readOnly: false, eventType: 'AwsServiceEvent', requestParameters: null, responseElements: null },
    [],
    ['root-usage'],
  );
  add(
    { actor: rootActor(management, { ip: 'support.amazonaws.com', userAgent: 'support.amazonaws.com', invokedBy: 'support.amazonaws.com' }), time: at(8, 15, 0), accountId: management, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'GetAccountSummary', readOnly: true },
    [],
    ['root-usage'],
  );

  // 09:30 — the security team investigates: read-only twins, and a selector change that keeps management events.
  const analyst = assumedRoleActor(security, ssoRole('SecurityAudit', security), 'priya.shah@acme.example', { ip: IPS.office[0], userAgent: USER_AGENTS.cliMac, path: 'aws-reserved/sso.amazonaws.com/' });
  add({ actor: analyst, time: at(9, 31, 0), accountId: security, region: 'us-east-1', eventSource: 'cloudtrail.amazonaws.com', eventName: 'DescribeTrails', readOnly: true, requestParameters: { includeShadowTrails: true } }, [], ['trail-tampering']);
  add({ actor: analyst, time: at(9, 31, 40), accountId: security, region: 'us-east-1', eventSource: 'cloudtrail.amazonaws.com', eventName: 'GetEventSelectors', readOnly: true, requestParameters: { trailName: `arn:aws:cloudtrail:us-east-1:${security}:trail/security-data-events` } }, [], ['trail-tampering']);
  const keepSelectors = [{ readWriteType: 'All', includeManagementEvents: true, dataResources: [{ type: 'AWS::S3::Object', values: [`arn:aws:s3:::${bucket}/`] }], excludeManagementEventSources: [] }];
  add(
    { actor: analyst, time: at(9, 36, 5), accountId: security, region: 'us-east-1', eventSource: 'cloudtrail.amazonaws.com', eventName: 'PutEventSelectors', readOnly: false, requestParameters: { trailName: `arn:aws:cloudtrail:us-east-1:${security}:trail/security-data-events`, eventSelectors: keepSelectors }, responseElements: { trailARN: `arn:aws:cloudtrail:us-east-1:${security}:trail/security-data-events`, eventSelectors: keepSelectors } },
    [],
    ['trail-tampering'],
  );
  add({ actor: analyst, time: at(9, 40, 12), accountId: security, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', readOnly: true, requestParameters: { maxItems: 100 } }, [], ['iam-critical-change']);
  add({ actor: analyst, time: at(9, 41, 30), accountId: security, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'DescribeSecurityGroups', readOnly: true, requestParameters: { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} } }, [], ['security-group-open-world']);

  // 14:29 — the platform lead signs in to the management account (one typo, then MFA) and fences the
  // organization with an SCP in answer to the night.
  const lead = iamUserActor(management, 'maria.garcia', { ip: IPS.office[0], userAgent: USER_AGENTS.browser, console: true });
  add(
    // Every failed sign-in is a (medium) console-login-failure finding; only the threshold raises it to high.
    { actor: lead, identity: { ...lead.identity, accessKeyId: '', sessionContext: undefined }, time: at(14, 29, 1), accountId: management, region: 'us-east-1', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', requestParameters: null, ...consoleLoginParts({ accountId: management, success: false, mfaUsed: false }) },
    ['console-login-failure'],
    ['console-login'],
  );
  add(
    { actor: lead, identity: { ...lead.identity, accessKeyId: '', sessionContext: undefined }, time: at(14, 29, 30), accountId: management, region: 'us-east-1', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', requestParameters: null, ...consoleLoginParts({ accountId: management, success: true, mfaUsed: true }) },
    ['console-login'],
  );
  const leadConsole: Actor = { ...lead, userAgent: USER_AGENTS.awsInternal };
  add(
    { actor: leadConsole, time: at(14, 41, 5), accountId: management, region: 'us-east-1', eventSource: 'organizations.amazonaws.com', eventName: 'AttachPolicy', readOnly: false, requestParameters: { policyId: 'p-deny0regions', targetId: dev } },
    ['organizations-change'],
  );

  // 15:20 — a developer tries a stock Ubuntu image in an approved region, and is refused a world-open port.
  const developer = assumedRoleActor(dev, ssoRole('DeveloperAccess', dev), 'frank.li@acme.example', { ip: IPS.homes[1], userAgent: USER_AGENTS.console, path: 'aws-reserved/sso.amazonaws.com/', console: true });
  const ubuntu = { imageId: DEVELOPER_AMI, instanceType: 't3.micro', count: 1, subnetId: `subnet-${stableRng(`subnet:${dev}:us-west-2`).hex(17)}` };
  add(
    { actor: developer, time: at(15, 20, 44), accountId: dev, region: 'us-west-2', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', readOnly: false, requestParameters: runInstancesParameters(rng, { ...ubuntu, tags: { Name: 'frank-scratch' } }), responseElements: runInstancesResponse(rng, dev, { ...ubuntu, availabilityZone: 'us-west-2b' }).response },
    ['unapproved-image'],
  );
  const devSg = `sg-${stableRng(`sg:${dev}:scratch`).hex(17)}`;
  add(
    // Denied, so shown by both security group rules as an attempt rather than a change.
    { actor: developer, time: at(15, 24, 3), accountId: dev, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress', readOnly: false, requestParameters: securityGroupIngressParameters(devSg, ssh), ...accessDenied('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', developer.identity) },
    ['security-group-open-world', 'security-group-change'],
  );
  add(
    // A denied CreateUser is a critical-change attempt; iam-change leaves CreateUser to iam-critical-change.
    { actor: developer, time: at(16, 2, 18), accountId: dev, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', readOnly: false, requestParameters: { userName: 'frank-test' }, ...accessDenied('iam.amazonaws.com', 'CreateUser', developer.identity) },
    ['iam-critical-change'],
    ['iam-change'],
  );
}
