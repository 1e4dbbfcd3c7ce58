// The incident woven into the two sample days. One coherent story, so the demo digests read like real
// mornings: on the first evening someone sprays acme-prod's console with passwords and a leaked CI access key
// of acme-dev is tried from a Tor exit (refused calls); the next night the key is used to escalate, blind the
// logging, open the network, mine in an unapproved region and pivot into acme-prod to exfiltrate a database
// snapshot, and acme-prod's root user signs in without MFA. Every event that should fire a rule is listed
// under that rule's id; near-misses are listed too, so the rules' negative cases have real events to stay
// quiet on. The organization's routine is in routine.ts, the people around the incident in bystanders.ts.
import type { Actor, EventInput, JsonObject, UserIdentity } from './cloudtrail.js';
import { USER_AGENTS, assumedRoleActor, iamUserActor, rootActor, stableId } from './cloudtrail.js';
import { accessDenied, consoleLoginParts, legacySecurityGroupIngressParameters, resource, runInstancesParameters, runInstancesResponse, securityGroupIngressParameters, securityGroupIngressResponse } from './event-shapes.js';
import { ACCOUNT } from './org.js';
import { stableRng } from './random.js';
import type { StoryWriter } from './story.js';

export { SAMPLE_RULE_IDS, type SampleRuleId } from './story.js';

/** The attacker's addresses (a Tor exit and a VPS). */
export const ATTACKER_IPS = ['185.220.101.47', '45.155.205.12'] as const;
/** The AMI the attacker launches: not on the approved list. */
export const ATTACKER_AMI = 'ami-0f9e8d7c6b5a43210';
/** The bucket the attacker opens to the world. */
export const EXFIL_BUCKET = 'acme-prod-customer-exports';

/** The incident's first steps, on the evening of the first day: password spraying and the leaked key's probing. */
export function incidentEarlySteps(writer: StoryWriter): void {
  const { add, at } = writer;
  const { dev, prod } = ACCOUNT;
  const [tor, vps] = ATTACKER_IPS;

  // 21:40 — password spraying against acme-prod's console from one address.
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
        time: at(21, 40, 5 + i * 17),
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

  // 22:31 — the leaked access key of acme-dev's build-bot, used from a Tor exit: who am I, what can I do.
  const leaked = iamUserActor(dev, 'build-bot', { ip: tor, userAgent: USER_AGENTS.boto3Attacker });
  add({ actor: leaked, time: at(22, 31, 2), accountId: dev, region: 'us-east-1', eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', readOnly: true });
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
        time: at(22, 32, i * 9),
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
}

/** The rest of the incident, on the second day: escalation, blinding, the network opened, mining, the pivot. */
export function incidentStory(writer: StoryWriter): void {
  const { add, at, rng } = writer;
  const { dev, prod, management } = ACCOUNT;
  const [tor, vps] = ATTACKER_IPS;
  const leaked = iamUserActor(dev, 'build-bot', { ip: tor, userAgent: USER_AGENTS.boto3Attacker });
  // 02:44 — the next night the key is back: what may build-bot do?
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
  const bucket = EXFIL_BUCKET;
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
}
