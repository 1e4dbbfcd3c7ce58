// The incident woven into the sample day. One coherent story, so the demo digest reads like a real morning:
// a leaked CI access key in acme-dev is used to enumerate, escalate, blind the logging, open the network,
// mine in an unapproved region and pivot into acme-prod to exfiltrate a database snapshot; the root user
// of acme-prod signs in without MFA; meanwhile the platform team makes ordinary, reviewable changes.
// Every event that should fire a rule is listed under that rule's id; near-misses are listed too, so the
// rules' negative cases have real events to stay quiet on.
import type { Actor, CloudTrailRecord, EventInput, JsonObject, UserIdentity } from './cloudtrail.js';
import {
  USER_AGENTS,
  accessDenied,
  assumedRoleActor,
  buildRecord,
  consoleLoginParts,
  iamUserActor,
  legacySecurityGroupIngressParameters,
  resource,
  rootActor,
  runInstancesParameters,
  runInstancesResponse,
  securityGroupIngressParameters,
  securityGroupIngressResponse,
  stableId,
} from './cloudtrail.js';
import { ACCOUNT, IPS, ssoRole } from './org.js';
import type { Rng } from './random.js';
import { stableRng } from './random.js';

/** The rule ids the sample day is built to fire. */
export const SAMPLE_RULE_IDS = [
  'trail-tampering',
  'root-usage',
  'iam-critical-change',
  'console-login-failure',
  'console-login',
  'security-group-change',
  'security-group-open-world',
  'db-security-group-change',
  'unapproved-region-activity',
  'kms-key-deletion',
  'unauthorized-api-calls',
  's3-bucket-policy-change',
  'sqs-permission-change',
  'route53-change',
  'rds-snapshot-activity',
  'vpc-change',
  'unapproved-image',
  'iam-change',
  'config-change',
  'organizations-change',
  'log-delivery-gap',
] as const;

/** One of the rule ids the sample day fires. */
export type SampleRuleId = (typeof SAMPLE_RULE_IDS)[number];

/** The story's records plus, per rule id, the events meant to fire it and the near-misses meant not to. */
export interface IncidentStory {
  records: CloudTrailRecord[];
  incident: Record<string, string[]>;
  nearMisses: Record<string, string[]>;
}

/** The attacker's addresses (a Tor exit and a VPS). */
export const ATTACKER_IPS = ['185.220.101.47', '45.155.205.12'] as const;
/** The AMI the attacker launches: not on the approved list. */
export const ATTACKER_AMI = 'ami-0f9e8d7c6b5a43210';
/** A stock Ubuntu AMI a developer launches in an approved region: not on the approved list either. */
export const DEVELOPER_AMI = 'ami-0c55b159cbfafe1f0';

/** Builds the incident story for the day that starts at `dayStart` (epoch ms, 00:00 UTC). */
export function incidentStory(rng: Rng, dayStart: number): IncidentStory {
  const records: CloudTrailRecord[] = [];
  const incident: Record<string, string[]> = {};
  const nearMisses: Record<string, string[]> = {};
  const at = (h: number, m: number, s = 0): number => dayStart + ((h * 60 + m) * 60 + s) * 1000;

  function add(input: EventInput, rules: readonly SampleRuleId[] = [], near: readonly SampleRuleId[] = []): string {
    const record = buildRecord(rng, input);
    records.push(record);
    for (const rule of rules) (incident[rule] ??= []).push(record.eventID);
    for (const rule of near) (nearMisses[rule] ??= []).push(record.eventID);
    return record.eventID;
  }

  const { dev, prod, management, security } = ACCOUNT;
  const [tor, vps] = ATTACKER_IPS;

  // 02:10 — password spraying against acme-prod's console from one address.
  const sprayTargets = ['admin', 'erin.walsh', 'legacy-reporting', 'administrator', 'root-admin', 'erin.walsh', 'ops', 'legacy-reporting'];
  const known = new Set(['erin.walsh', 'legacy-reporting']);
  const sprayer: Actor = { identity: { type: 'IAMUser' }, sourceIPAddress: vps, userAgent: USER_AGENTS.browserWindows, console: false };
  sprayTargets.forEach((name, i) => {
    // AWS hides the name a failed sign-in tried when no such user exists.
    const identity: UserIdentity = known.has(name)
      ? { type: 'IAMUser', principalId: stableId('AIDA', `${prod}:${name}`), arn: `arn:aws:iam::${prod}:user/${name}`, accountId: prod, accessKeyId: '', userName: name }
      : { type: 'IAMUser', accountId: prod, accessKeyId: '', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' };
    add(
      {
        actor: sprayer,
        identity,
        time: at(2, 10, 5 + i * 17),
        accountId: prod,
        region: 'us-east-1',
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        requestParameters: null,
        ...consoleLoginParts({ accountId: prod, success: false, mfaUsed: false }),
      },
      ['console-login-failure'],
    );
  });

  // 02:31 — the leaked access key of acme-dev's build-bot, used from a Tor exit: who am I, what can I do.
  const leaked = iamUserActor(dev, 'build-bot', { ip: tor, userAgent: USER_AGENTS.boto3Attacker });
  add({ actor: leaked, time: at(2, 31, 2), accountId: dev, region: 'us-east-1', eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', readOnly: true });
  const probes: readonly (readonly [string, string, string])[] = [
    ['ec2.amazonaws.com', 'DescribeInstances', 'us-east-1'],
    ['ec2.amazonaws.com', 'DescribeInstances', 'eu-west-1'],
    ['ec2.amazonaws.com', 'DescribeInstances', 'us-west-2'],
    ['s3.amazonaws.com', 'ListBuckets', 'us-east-1'],
    ['kms.amazonaws.com', 'ListKeys', 'us-east-1'],
    ['secretsmanager.amazonaws.com', 'ListSecrets', 'us-east-1'],
    ['secretsmanager.amazonaws.com', 'ListSecrets', 'eu-west-1'],
    ['rds.amazonaws.com', 'DescribeDBInstances', 'us-east-1'],
    ['lambda.amazonaws.com', 'ListFunctions20150331', 'us-east-1'],
    ['dynamodb.amazonaws.com', 'ListTables', 'us-east-1'],
    ['organizations.amazonaws.com', 'DescribeOrganization', 'us-east-1'],
    ['cloudtrail.amazonaws.com', 'DescribeTrails', 'us-east-1'],
    ['ec2.amazonaws.com', 'DescribeSnapshots', 'us-east-1'],
    ['ec2.amazonaws.com', 'DescribeVpcs', 'us-east-1'],
    ['ssm.amazonaws.com', 'DescribeParameters', 'us-east-1'],
    ['logs.amazonaws.com', 'DescribeLogGroups', 'us-east-1'],
    ['ecs.amazonaws.com', 'ListClusters', 'us-east-1'],
    ['ec2.amazonaws.com', 'DescribeSecurityGroups', 'eu-west-1'],
  ];
  probes.forEach(([source, name, region], i) => {
    add(
      {
        actor: leaked,
        time: at(2, 32, i * 9),
        accountId: dev,
        region,
        eventSource: source,
        eventName: name,
        readOnly: true,
        requestParameters: source === 'ec2.amazonaws.com' ? { filterSet: {} } : null,
        ...accessDenied(source, name, leaked.identity),
      },
      ['unauthorized-api-calls'],
    );
  });
  add({ actor: leaked, time: at(2, 44, 10), accountId: dev, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'ListAttachedUserPolicies', readOnly: true, requestParameters: { userName: 'build-bot' } });

  // 02:50 — build-bot may manage IAM (a CI shortcut): a backdoor user with an access key and admin rights.
  const userArn = `arn:aws:iam::${dev}:user/svc-backup`;
  add(
    {
      actor: leaked, time: at(2, 50, 11), accountId: dev, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', readOnly: false,
      requestParameters: { userName: 'svc-backup' },
      responseElements: { user: { path: '/', userName: 'svc-backup', userId: stableId('AIDA', `${dev}:svc-backup`), arn: userArn, createDate: 'Nov 20, 2026, 2:50:11 AM' } },
    },
    ['iam-critical-change'],
  );
  add(
    {
      actor: leaked, time: at(2, 51, 3), accountId: dev, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', readOnly: false,
      requestParameters: { userName: 'svc-backup' },
      responseElements: { accessKey: { userName: 'svc-backup', accessKeyId: stableId('AKIA', `${dev}:svc-backup`, 16), status: 'Active', createDate: 'Nov 20, 2026, 2:51:03 AM' } },
    },
    ['iam-critical-change'],
  );
  add(
    {
      actor: leaked, time: at(2, 52, 40), accountId: dev, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'AttachUserPolicy', readOnly: false,
      requestParameters: { userName: 'svc-backup', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    },
    ['iam-critical-change'],
  );

  const backdoor = iamUserActor(dev, 'svc-backup', { ip: tor, userAgent: USER_AGENTS.boto3Attacker });
  add(
    {
      actor: backdoor, time: at(2, 56, 20), accountId: dev, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'DeactivateMFADevice', readOnly: false,
      requestParameters: { userName: 'break-glass-admin', serialNumber: `arn:aws:iam::${dev}:mfa/break-glass-admin` },
    },
    ['iam-critical-change'],
  );

  // 03:02 — blind the account: Config off, the account's own trail stopped, narrowed, deleted.
  add({ actor: backdoor, time: at(3, 2, 5), accountId: dev, region: 'us-east-1', eventSource: 'config.amazonaws.com', eventName: 'StopConfigurationRecorder', readOnly: false, requestParameters: { configurationRecorderName: 'default' } }, ['config-change']);
  add({ actor: backdoor, time: at(3, 3, 1), accountId: dev, region: 'us-east-1', eventSource: 'config.amazonaws.com', eventName: 'DeleteDeliveryChannel', readOnly: false, requestParameters: { deliveryChannelName: 'default' } }, ['config-change']);
  const orgTrail = `arn:aws:cloudtrail:us-east-1:${management}:trail/acme-org-trail`;
  // A member account cannot touch the organization trail: it fails, and is shown as an attempt (not a change).
  add(
    { actor: backdoor, time: at(3, 4, 12), accountId: dev, region: 'us-east-1', eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', readOnly: false, requestParameters: { name: orgTrail }, ...accessDenied('cloudtrail.amazonaws.com', 'StopLogging', backdoor.identity, orgTrail) },
    ['trail-tampering'],
  );
  const devTrail = `arn:aws:cloudtrail:us-east-1:${dev}:trail/dev-account-trail`;
  const trailResources = [resource(dev, 'AWS::CloudTrail::Trail', devTrail)];
  add({ actor: backdoor, time: at(3, 5, 30), accountId: dev, region: 'us-east-1', eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', readOnly: false, requestParameters: { name: devTrail }, resources: trailResources }, ['trail-tampering']);
  add(
    {
      actor: backdoor, time: at(3, 6, 2), accountId: dev, region: 'us-east-1', eventSource: 'cloudtrail.amazonaws.com', eventName: 'PutEventSelectors', readOnly: false,
      requestParameters: { trailName: devTrail, eventSelectors: [{ readWriteType: 'ReadOnly', includeManagementEvents: false, dataResources: [], excludeManagementEventSources: [] }] },
      responseElements: { trailARN: devTrail, eventSelectors: [{ readWriteType: 'ReadOnly', includeManagementEvents: false, dataResources: [], excludeManagementEventSources: [] }] },
      resources: trailResources,
    },
    ['trail-tampering'],
  );
  add({ actor: backdoor, time: at(3, 7, 45), accountId: dev, region: 'us-east-1', eventSource: 'cloudtrail.amazonaws.com', eventName: 'DeleteTrail', readOnly: false, requestParameters: { name: devTrail }, resources: trailResources }, ['trail-tampering']);

  // 03:12 — SSH and RDP opened to the world in three regions, in the three shapes EC2 logs.
  const sgId = (region: string): string => `sg-${stableRng(`sg:${dev}:${region}`).hex(17)}`;
  const ssh = [{ protocol: 'tcp' as const, fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }];
  add(
    { actor: backdoor, time: at(3, 12, 8), accountId: dev, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress', readOnly: false, requestParameters: securityGroupIngressParameters(sgId('us-east-1'), ssh), responseElements: securityGroupIngressResponse(rng, dev, sgId('us-east-1'), ssh) },
    ['security-group-open-world'],
  );
  const rdp6 = [{ protocol: 'tcp' as const, fromPort: 3389, toPort: 3389, cidrIpv6: '::/0' }];
  add(
    { actor: backdoor, time: at(3, 13, 20), accountId: dev, region: 'eu-west-1', eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress', readOnly: false, requestParameters: securityGroupIngressParameters(sgId('eu-west-1'), rdp6), responseElements: securityGroupIngressResponse(rng, dev, sgId('eu-west-1'), rdp6) },
    ['security-group-open-world'],
  );
  add(
    { actor: backdoor, time: at(3, 14, 41), accountId: dev, region: 'us-west-2', eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress', readOnly: false, requestParameters: legacySecurityGroupIngressParameters(sgId('us-west-2'), '0.0.0.0/0', 'tcp', 22, 22), responseElements: { requestId: rng.uuid(), _return: true } },
    ['security-group-open-world'],
  );

  // 03:20 — crypto-mining in ap-southeast-2, a region nobody uses.
  add({ actor: backdoor, time: at(3, 19, 30), accountId: dev, region: 'ap-southeast-2', eventSource: 'ec2.amazonaws.com', eventName: 'DescribeImages', readOnly: true, requestParameters: { imagesSet: { items: [{ imageId: ATTACKER_AMI }] }, ownersSet: {}, filterSet: {} } });
  add(
    { actor: backdoor, time: at(3, 20, 4), accountId: dev, region: 'ap-southeast-2', eventSource: 'ec2.amazonaws.com', eventName: 'ImportKeyPair', readOnly: false, requestParameters: { keyName: 'backup-key', publicKeyMaterial: '<sensitiveDataRemoved>' }, responseElements: { requestId: rng.uuid(), keyName: 'backup-key', keyFingerprint: '1f:51:ae:28:bf:89:e9:d8:1f:25:5d:37:2d:7d:b8:ca', keyPairId: `key-${rng.hex(17)}` } },
    ['unapproved-region-activity'],
  );
  const mining = { imageId: ATTACKER_AMI, instanceType: 'c5.4xlarge', count: 4, subnetId: `subnet-${rng.hex(17)}` };
  add(
    {
      actor: backdoor, time: at(3, 21, 15), accountId: dev, region: 'ap-southeast-2', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', readOnly: false,
      requestParameters: runInstancesParameters(rng, { ...mining, keyName: 'backup-key' }),
      responseElements: runInstancesResponse(rng, dev, { ...mining, availabilityZone: 'ap-southeast-2a' }).response,
    },
    ['unapproved-region-activity', 'unapproved-image'],
  );

  // 03:35 — destroy the keys that protect dev's backups.
  const keyArn = (n: number): string => `arn:aws:kms:us-east-1:${dev}:key/${stableRng(`attacked-key:${n}`).uuid()}`;
  add(
    { actor: backdoor, time: at(3, 35, 50), accountId: dev, region: 'us-east-1', eventSource: 'kms.amazonaws.com', eventName: 'ScheduleKeyDeletion', readOnly: false, requestParameters: { keyId: keyArn(1), pendingWindowInDays: 7 }, responseElements: { keyId: keyArn(1), deletionDate: 'Nov 27, 2026, 3:35:50 AM', keyState: 'PendingDeletion', pendingWindowInDays: 7 }, resources: [resource(dev, 'AWS::KMS::Key', keyArn(1))] },
    ['kms-key-deletion'],
  );
  add(
    { actor: backdoor, time: at(3, 36, 30), accountId: dev, region: 'us-east-1', eventSource: 'kms.amazonaws.com', eventName: 'DisableKey', readOnly: false, requestParameters: { keyId: keyArn(2) }, resources: [resource(dev, 'AWS::KMS::Key', keyArn(2))] },
    ['kms-key-deletion'],
  );

  // 03:45 — pivot into acme-prod through a deploy role that trusts acme-dev. AWS logs the AssumeRole in
  // both accounts, tied by sharedEventID; in prod the caller shows only as the other account.
  const pivotRole = `arn:aws:iam::${prod}:role/cross-account-deploy`;
  const shared = rng.uuid();
  const assume: Omit<EventInput, 'actor' | 'accountId'> = {
    time: at(3, 45, 0), region: 'us-east-1', eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', readOnly: true,
    requestParameters: { roleArn: pivotRole, roleSessionName: 'svc-backup', durationSeconds: 3600 },
    responseElements: { credentials: { accessKeyId: stableId('ASIA', `${prod}:cross-account-deploy:svc-backup`, 16), expiration: 'Nov 20, 2026, 4:45:00 AM' }, assumedRoleUser: { assumedRoleId: `${stableId('AROA', `${prod}:cross-account-deploy`)}:svc-backup`, arn: `arn:aws:sts::${prod}:assumed-role/cross-account-deploy/svc-backup` } },
    resources: [resource(prod, 'AWS::IAM::Role', pivotRole)],
    sharedEventID: shared,
  };
  add({ ...assume, actor: backdoor, accountId: dev });
  add({ ...assume, actor: { ...backdoor, identity: { type: 'AWSAccount', principalId: stableId('AIDA', `${dev}:svc-backup`), accountId: dev } }, accountId: prod });

  const pivot = assumedRoleActor(prod, 'cross-account-deploy', 'svc-backup', { ip: vps, userAgent: USER_AGENTS.boto3Attacker });
  const trust: JsonObject = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${dev}:root`, 'arn:aws:iam::999988887777:root'] }, Action: 'sts:AssumeRole' }] };
  add(
    { actor: pivot, time: at(3, 50, 10), accountId: prod, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'UpdateAssumeRolePolicy', readOnly: false, requestParameters: { roleName: 'cross-account-deploy', policyDocument: JSON.stringify(trust) } },
    ['iam-critical-change'],
  );
  const snapshotArn = `arn:aws:rds:us-east-1:${prod}:snapshot:orders-prod-export-20261120`;
  add(
    {
      actor: pivot, time: at(3, 55, 0), accountId: prod, region: 'us-east-1', eventSource: 'rds.amazonaws.com', eventName: 'CreateDBSnapshot', readOnly: false,
      requestParameters: { dBSnapshotIdentifier: 'orders-prod-export-20261120', dBInstanceIdentifier: 'orders-prod' },
      responseElements: { dBSnapshotIdentifier: 'orders-prod-export-20261120', dBInstanceIdentifier: 'orders-prod', engine: 'postgres', allocatedStorage: 500, status: 'creating', port: 5432, availabilityZone: 'us-east-1a', vpcId: `vpc-${stableRng(`vpc:${prod}`).hex(17)}`, masterUsername: 'orders_admin', engineVersion: '16.4', snapshotType: 'manual', encrypted: false, dBSnapshotArn: snapshotArn, storageType: 'gp3' },
    },
    ['rds-snapshot-activity'],
  );
  add(
    {
      actor: pivot, time: at(4, 10, 33), accountId: prod, region: 'us-east-1', eventSource: 'rds.amazonaws.com', eventName: 'ModifyDBSnapshotAttribute', readOnly: false,
      requestParameters: { dBSnapshotIdentifier: 'orders-prod-export-20261120', attributeName: 'restore', valuesToAdd: ['all'] },
      responseElements: { dBSnapshotIdentifier: 'orders-prod-export-20261120', dBSnapshotAttributes: [{ attributeName: 'restore', attributeValues: ['all'] }] },
    },
    ['rds-snapshot-activity'],
  );
  add(
    {
      actor: pivot, time: at(4, 15, 2), accountId: prod, region: 'us-east-1', eventSource: 'rds.amazonaws.com', eventName: 'AuthorizeDBSecurityGroupIngress', readOnly: false,
      requestParameters: { dBSecurityGroupName: 'orders-legacy', cIDRIP: '45.155.205.0/24' },
      responseElements: { ownerId: prod, dBSecurityGroupName: 'orders-legacy', dBSecurityGroupDescription: 'legacy reporting access', eC2SecurityGroups: [], iPRanges: [{ status: 'authorizing', cIDRIP: '45.155.205.0/24' }], dBSecurityGroupArn: `arn:aws:rds:us-east-1:${prod}:secgrp:orders-legacy` },
    },
    ['db-security-group-change'],
  );
  const bucket = 'acme-prod-customer-exports';
  const bucketParts = (key: string): JsonObject => ({ bucketName: bucket, Host: `${bucket}.s3.us-east-1.amazonaws.com`, [key]: '' });
  add(
    { actor: pivot, time: at(4, 20, 0), accountId: prod, region: 'us-east-1', eventSource: 's3.amazonaws.com', eventName: 'DeleteBucketPublicAccessBlock', readOnly: false, requestParameters: bucketParts('publicAccessBlock'), resources: [resource(prod, 'AWS::S3::Bucket', `arn:aws:s3:::${bucket}`)] },
    ['s3-bucket-policy-change'],
  );
  const publicPolicy: JsonObject = { Version: '2012-10-17', Statement: [{ Sid: 'backup', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] };
  add(
    { actor: pivot, time: at(4, 21, 12), accountId: prod, region: 'us-east-1', eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', readOnly: false, requestParameters: { ...bucketParts('policy'), bucketPolicy: publicPolicy }, resources: [resource(prod, 'AWS::S3::Bucket', `arn:aws:s3:::${bucket}`)] },
    ['s3-bucket-policy-change'],
  );

  add(
    {
      actor: pivot, time: at(4, 22, 30), accountId: prod, region: 'us-east-1', eventSource: 's3.amazonaws.com', eventName: 'PutBucketAcl', readOnly: false,
      requestParameters: { ...bucketParts('acl'), AccessControlPolicy: { AccessControlList: { Grant: [{ Grantee: { xsiType: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' }] }, Owner: { ID: rng.hex(64) } } },
      resources: [resource(prod, 'AWS::S3::Bucket', `arn:aws:s3:::${bucket}`)],
    },
    ['s3-bucket-policy-change'],
  );

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

  // 10:02 — acme-prod's root user signs in without MFA and creates a root access key.
  const root = rootActor(prod, { ip: vps, userAgent: USER_AGENTS.browserWindows, console: true });
  add(
    {
      actor: root, identity: { ...root.identity, accessKeyId: '' }, time: at(10, 2, 14), accountId: prod, region: 'us-east-1', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', requestParameters: null,
      ...consoleLoginParts({ accountId: prod, success: true, mfaUsed: false }),
    },
    ['console-login', 'root-usage'],
  );
  const rootConsole: Actor = { ...root, userAgent: USER_AGENTS.awsInternal };
  add({ actor: rootConsole, time: at(10, 4, 2), accountId: prod, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', readOnly: true, requestParameters: { instancesSet: {}, filterSet: {} } }, ['root-usage']);
  add(
    { actor: rootConsole, time: at(10, 7, 40), accountId: prod, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', readOnly: false, requestParameters: null, responseElements: { accessKey: { accessKeyId: stableId('AKIA', `${prod}:root`, 16), status: 'Active', createDate: 'Nov 20, 2026, 10:07:40 AM' } } },
    ['root-usage', 'iam-critical-change'],
  );

  // 11:00–13:30 — the platform team's ordinary changes in acme-prod, through Terraform in CI.
  const terraform = assumedRoleActor(prod, 'github-actions-deploy', 'GitHubActions', { ip: IPS.githubRunners[0], userAgent: USER_AGENTS.terraform });
  const prodVpc = `vpc-${stableRng(`vpc:${prod}`).hex(17)}`;
  const newSg = `sg-${stableRng(`sg:${prod}:orders-db-access`).hex(17)}`;
  add(
    { actor: terraform, time: at(11, 10, 3), accountId: prod, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'CreateSecurityGroup', readOnly: false, requestParameters: { groupName: 'orders-db-access', groupDescription: 'Orders API to Postgres', vpcId: prodVpc }, responseElements: { requestId: rng.uuid(), _return: true, groupId: newSg } },
    ['security-group-change'],
  );
  const pg = [{ protocol: 'tcp' as const, fromPort: 5432, toPort: 5432, cidrIpv4: '10.20.0.0/16', description: 'orders-api subnets' }];
  add(
    { actor: terraform, time: at(11, 10, 31), accountId: prod, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress', readOnly: false, requestParameters: securityGroupIngressParameters(newSg, pg), responseElements: securityGroupIngressResponse(rng, prod, newSg, pg) },
    ['security-group-change'],
  );
  const pcx = `pcx-${stableRng(`pcx:${prod}`).hex(17)}`;
  add(
    { actor: terraform, time: at(11, 30, 0), accountId: prod, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'CreateVpcPeeringConnection', readOnly: false, requestParameters: { vpcId: prodVpc, peerVpcId: `vpc-${stableRng(`vpc:${security}`).hex(17)}`, peerOwnerId: security, peerRegion: 'us-east-1' }, responseElements: { requestId: rng.uuid(), vpcPeeringConnection: { vpcPeeringConnectionId: pcx, status: { code: 'initiating-request', message: `Initiating Request to ${security}` } } } },
    ['vpc-change'],
  );
  add(
    { actor: terraform, time: at(11, 31, 12), accountId: prod, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'CreateRoute', readOnly: false, requestParameters: { routeTableId: `rtb-${stableRng(`rtb:${prod}`).hex(17)}`, destinationCidrBlock: '10.30.0.0/16', vpcPeeringConnectionId: pcx }, responseElements: { requestId: rng.uuid(), _return: true } },
    ['vpc-change'],
  );
  add(
    { actor: terraform, time: at(11, 31, 50), accountId: prod, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'CreateNetworkAclEntry', readOnly: false, requestParameters: { networkAclId: `acl-${stableRng(`acl:${prod}`).hex(17)}`, ruleNumber: 120, egress: false, ruleAction: 'allow', icmpTypeCode: {}, portRange: { from: 443, to: 443 }, aclProtocol: '6', cidrBlock: '10.30.0.0/16' }, responseElements: { requestId: rng.uuid(), _return: true } },
    ['vpc-change'],
  );
  const queueUrl = `https://sqs.us-west-2.amazonaws.com/${prod}/prod-orders-events`;
  add(
    { actor: terraform, time: at(12, 5, 9), accountId: prod, region: 'us-west-2', eventSource: 'sqs.amazonaws.com', eventName: 'AddPermission', readOnly: false, requestParameters: { queueUrl, label: 'security-analytics-consumer', aWSAccountIds: [security], actions: ['ReceiveMessage', 'DeleteMessage'] } },
    ['sqs-permission-change'],
  );
  const queuePolicy: JsonObject = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:us-west-2:${prod}:prod-orders-events`, Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-west-2:${prod}:prod-orders-created` } } }] };
  add(
    { actor: terraform, time: at(12, 6, 0), accountId: prod, region: 'us-west-2', eventSource: 'sqs.amazonaws.com', eventName: 'SetQueueAttributes', readOnly: false, requestParameters: { queueUrl, attributes: { Policy: JSON.stringify(queuePolicy) } } },
    ['sqs-permission-change'],
  );
  add(
    { actor: terraform, time: at(12, 6, 40), accountId: prod, region: 'us-west-2', eventSource: 'sqs.amazonaws.com', eventName: 'SetQueueAttributes', readOnly: false, requestParameters: { queueUrl, attributes: { VisibilityTimeout: '120' } } },
    [],
    ['sqs-permission-change'],
  );
  const zone = stableId('Z', `zone:${prod}`, 20);
  add(
    {
      actor: terraform, time: at(12, 40, 22), accountId: prod, region: 'us-east-1', eventSource: 'route53.amazonaws.com', eventName: 'ChangeResourceRecordSets', readOnly: false,
      requestParameters: { hostedZoneId: zone, changeBatch: { changes: [{ action: 'UPSERT', resourceRecordSet: { name: 'api.acme.example', type: 'A', aliasTarget: { hostedZoneId: 'Z35SXDOTRQ7X7K', dNSName: 'prod-orders-alb-1234567890.us-east-1.elb.amazonaws.com', evaluateTargetHealth: true } } }] } },
      responseElements: { changeInfo: { id: `/change/C${rng.upperAlnum(20)}`, status: 'PENDING', submittedAt: 'Nov 20, 2026, 12:40:22 PM' } },
      resources: [resource(prod, 'AWS::Route53::HostedZone', `arn:aws:route53:::hostedzone/${zone}`)],
    },
    ['route53-change'],
  );
  const taskRole = 'prod-orders-api-task';
  add({ actor: terraform, time: at(13, 15, 2), accountId: prod, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'TagRole', readOnly: false, requestParameters: { roleName: taskRole, tags: [{ key: 'cost-center', value: 'orders' }] } }, ['iam-change']);
  add({ actor: terraform, time: at(13, 15, 9), accountId: prod, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'UpdateRoleDescription', readOnly: false, requestParameters: { roleName: taskRole, description: 'Orders API ECS task role' } }, ['iam-change']);
  const inline: JsonObject = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::acme-prod-app-data/orders/*' }] };
  add({ actor: terraform, time: at(13, 15, 20), accountId: prod, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'PutRolePolicy', readOnly: false, requestParameters: { roleName: taskRole, policyName: 'orders-s3-read', policyDocument: JSON.stringify(inline) } }, ['iam-change']);

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

  return { records, incident, nearMisses };
}
