// The ordinary day: mostly reads, plus writes that no detection rule should flag (tags, deployments,
// parameters, log groups, autoscaling). Every event here is benign by construction; the rules' quality is
// judged by staying quiet on it. Nothing in this catalogue touches trails, IAM, security groups, network
// routing, bucket policies, queue policies, DNS, snapshots, Config or Organizations writes, KMS key state,
// or sign-in: those belong to the incident story alone.
import type { Actor, CloudTrailRecord, EventInput, JsonObject, ResourceRef } from './cloudtrail.js';
import { buildRecord, isGlobalSource, stableId } from './cloudtrail.js';
import { accessDenied, resource, runInstancesParameters, runInstancesResponse } from './event-shapes.js';
import type { ActorKind, RosterEntry } from './org.js';
import { APPROVED_AMI, WRITE_REGIONS } from './org.js';
import type { Rng } from './random.js';
import { stableRng } from './random.js';

/** What a request/response builder may use. */
export interface NoiseContext {
  rng: Rng;
  accountId: string;
  short: string;
  region: string;
  actor: Actor;
}

/** One kind of ordinary call. */
export interface NoiseSpec {
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  /** Who makes it, and how often relative to their other calls. */
  by: Partial<Record<ActorKind, number>>;
  /** Only in these accounts (e.g. Organizations reads in the management account). */
  accounts?: readonly string[];
  request?: (c: NoiseContext) => JsonObject | null;
  response?: (c: NoiseContext) => JsonObject | null;
  resources?: (c: NoiseContext) => ResourceRef[];
  additional?: (c: NoiseContext) => JsonObject;
  eventType?: 'AwsApiCall' | 'AwsServiceEvent';
}

function names(c: NoiseContext) {
  const s = c.short;
  return {
    buckets: [`acme-${s}-artifacts`, `acme-${s}-app-data`, `acme-${s}-static-assets`],
    functions: [`${s}-orders-processor`, `${s}-thumbnailer`, `${s}-nightly-report`],
    tables: [`${s}-orders`, `${s}-sessions`, `${s}-inventory`],
    params: [`/${s}/orders/feature-flags`, `/${s}/orders/db-host`, `/${s}/shared/release`],
    secrets: [`${s}/orders/db-password`, `${s}/payments/api-key`],
    logGroups: [`/aws/lambda/${s}-orders-processor`, `/ecs/${s}-orders-api`, `/aws/lambda/${s}-thumbnailer`],
    clusters: [`${s}-main`],
    services: [`${s}-orders-api`, `${s}-web`],
    queues: [`${s}-orders-events`, `${s}-emails`],
    topics: [`${s}-alerts`, `${s}-orders-created`],
    alarms: [`${s}-orders-api-5xx`, `${s}-orders-latency-p99`, `${s}-queue-depth`],
  };
}

function keyArn(c: NoiseContext, n = 0): string {
  return `arn:aws:kms:${c.region}:${c.accountId}:key/${stableRng(`key:${c.accountId}:${c.region}:${n}`).uuid()}`;
}

function s3Additional(c: NoiseContext): JsonObject {
  return {
    SignatureVersion: 'SigV4',
    CipherSuite: 'TLS_AES_128_GCM_SHA256',
    bytesTransferredIn: 0,
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': c.rng.alnum(56),
    bytesTransferredOut: c.rng.int(200, 2400),
  };
}

function bucketParams(c: NoiseContext, key: string): JsonObject {
  const bucket = c.rng.pick(names(c).buckets);
  return { bucketName: bucket, Host: `${bucket}.s3.${c.region}.amazonaws.com`, [key]: '' };
}

const HUMAN_READS = { human: 1, admin: 1, auditor: 1 } as const;

/** The catalogue of ordinary calls. */
export const NOISE_SPECS: readonly NoiseSpec[] = [
  // EC2 reads
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', readOnly: true, by: { ...HUMAN_READS, ci: 2, config: 2, autoscaling: 3 }, request: () => ({ instancesSet: {}, filterSet: {} }) },
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeSecurityGroups', readOnly: true, by: { ...HUMAN_READS, ci: 1, config: 2 }, request: () => ({ securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }) },
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeVpcs', readOnly: true, by: { human: 0.5, ci: 1, config: 1 }, request: () => ({ vpcSet: {}, filterSet: {} }) },
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeSubnets', readOnly: true, by: { ci: 1, config: 1 }, request: () => ({ subnetSet: {}, filterSet: {} }) },
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeVolumes', readOnly: true, by: { human: 0.5, config: 1 }, request: () => ({ volumeSet: {}, filterSet: {} }) },
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeImages', readOnly: true, by: { ci: 1, autoscaling: 1 }, request: () => ({ imagesSet: { items: [{ imageId: APPROVED_AMI }] }, ownersSet: {}, executableBySet: {}, filterSet: {} }) },
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeNetworkInterfaces', readOnly: true, by: { config: 1, ci: 0.5 }, request: () => ({ networkInterfaceIdSet: {}, filterSet: {} }) },
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeRegions', readOnly: true, by: { human: 0.3, auditor: 0.5 }, request: () => ({ regionSet: {} }) },
  // EC2 benign writes
  {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'CreateTags',
    readOnly: false,
    by: { human: 0.4, ci: 1, autoscaling: 1 },
    request: (c) => ({
      resourcesSet: { items: [{ resourceId: `i-${c.rng.hex(17)}` }] },
      tagSet: { items: [{ key: 'team', value: c.rng.pick(['orders', 'payments', 'platform']) }] },
    }),
    response: (c) => ({ requestId: c.rng.uuid(), _return: true }),
  },
  {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    readOnly: false,
    by: { autoscaling: 0.8 },
    request: (c) =>
      runInstancesParameters(c.rng, {
        imageId: APPROVED_AMI,
        instanceType: 'm6i.large',
        count: 1,
        subnetId: `subnet-${stableRng(`subnet:${c.accountId}:${c.region}`).hex(17)}`,
        tags: { 'aws:autoscaling:groupName': `${c.short}-orders-asg` },
      }),
    response: (c) =>
      runInstancesResponse(c.rng, c.accountId, {
        imageId: APPROVED_AMI,
        instanceType: 'm6i.large',
        count: 1,
        subnetId: `subnet-${stableRng(`subnet:${c.accountId}:${c.region}`).hex(17)}`,
        availabilityZone: `${c.region}a`,
      }).response,
  },
  {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'TerminateInstances',
    readOnly: false,
    by: { autoscaling: 0.6 },
    request: (c) => ({ instancesSet: { items: [{ instanceId: `i-${c.rng.hex(17)}` }] } }),
    response: (c) => ({ requestId: c.rng.uuid(), instancesSet: { items: [{ instanceId: `i-${c.rng.hex(17)}`, currentState: { code: 32, name: 'shutting-down' }, previousState: { code: 16, name: 'running' } }] } }),
  },
  // STS
  { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', readOnly: true, by: { human: 1, ci: 2, app: 0.5, auditor: 0.5 } },
  {
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    readOnly: true,
    by: { ci: 1.5, 'aws-service': 5, auditor: 0.5 },
    request: (c) => ({
      roleArn: `arn:aws:iam::${c.accountId}:role/${c.actor.identity.type === 'AWSService' ? `${c.short}-orders-processor-role` : 'github-actions-deploy'}`,
      roleSessionName: c.actor.identity.type === 'AWSService' ? `${c.short}-orders-processor` : 'GitHubActions',
      durationSeconds: 3600,
    }),
    // The session token is left out: nothing reads it and secret scanners would flag it.
    response: (c) => ({
      credentials: { accessKeyId: `ASIA${c.rng.upperAlnum(16)}`, expiration: 'Nov 21, 2026, 1:00:00 AM' },
      assumedRoleUser: { assumedRoleId: `${stableId('AROA', `${c.accountId}:role`)}:session`, arn: `arn:aws:sts::${c.accountId}:assumed-role/${c.short}-orders-processor-role/session` },
    }),
    resources: (c) => [resource(c.accountId, 'AWS::IAM::Role', `arn:aws:iam::${c.accountId}:role/${c.short}-orders-processor-role`)],
  },
  // IAM reads (global)
  { eventSource: 'iam.amazonaws.com', eventName: 'ListRoles', readOnly: true, by: { ...HUMAN_READS, config: 0.5, ci: 0.5 }, request: () => ({ maxItems: 1000 }) },
  { eventSource: 'iam.amazonaws.com', eventName: 'GetRole', readOnly: true, by: { human: 0.5, ci: 2, config: 0.5 }, request: (c) => ({ roleName: `${c.short}-orders-processor-role` }) },
  { eventSource: 'iam.amazonaws.com', eventName: 'ListAttachedRolePolicies', readOnly: true, by: { ci: 1, auditor: 0.5 }, request: (c) => ({ roleName: `${c.short}-orders-api-task` }) },
  { eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', readOnly: true, by: { human: 0.3, admin: 1, auditor: 0.5 }, request: () => ({ maxItems: 100 }) },
  { eventSource: 'iam.amazonaws.com', eventName: 'GetAccountAuthorizationDetails', readOnly: true, by: { auditor: 0.3, config: 0.2 }, request: () => ({ maxItems: 1000 }) },
  { eventSource: 'iam.amazonaws.com', eventName: 'GetAccountSummary', readOnly: true, by: { human: 0.3, admin: 0.5 } },
  // KMS
  {
    eventSource: 'kms.amazonaws.com',
    eventName: 'Decrypt',
    readOnly: true,
    by: { app: 6, ci: 0.5, 'cross-account': 3 },
    request: (c) => ({ encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { PARAMETER_ARN: `arn:aws:ssm:${c.region}:${c.accountId}:parameter${c.rng.pick(names(c).params)}` } }),
    resources: (c) => [resource(c.accountId, 'AWS::KMS::Key', keyArn(c))],
  },
  {
    eventSource: 'kms.amazonaws.com',
    eventName: 'GenerateDataKey',
    readOnly: true,
    by: { app: 2, 'cross-account': 1 },
    request: (c) => ({ keyId: keyArn(c), keySpec: 'AES_256', encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::${c.rng.pick(names(c).buckets)}` } }),
    resources: (c) => [resource(c.accountId, 'AWS::KMS::Key', keyArn(c))],
  },
  { eventSource: 'kms.amazonaws.com', eventName: 'DescribeKey', readOnly: true, by: { ci: 0.5, config: 0.5, auditor: 0.3 }, request: (c) => ({ keyId: keyArn(c) }), resources: (c) => [resource(c.accountId, 'AWS::KMS::Key', keyArn(c))] },
  { eventSource: 'kms.amazonaws.com', eventName: 'ListAliases', readOnly: true, by: { human: 0.3, config: 0.3 }, request: () => ({ limit: 100 }) },
  // S3 management reads
  { eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', readOnly: true, by: { ...HUMAN_READS, ci: 0.5 }, request: (c) => ({ Host: c.region === 'us-east-1' ? 's3.amazonaws.com' : `s3.${c.region}.amazonaws.com` }), additional: s3Additional },
  { eventSource: 's3.amazonaws.com', eventName: 'GetBucketLocation', readOnly: true, by: { human: 0.5, ci: 1, config: 0.5 }, request: (c) => bucketParams(c, 'location'), additional: s3Additional },
  { eventSource: 's3.amazonaws.com', eventName: 'GetBucketPolicy', readOnly: true, by: { config: 1, auditor: 0.5 }, request: (c) => bucketParams(c, 'policy'), additional: s3Additional },
  { eventSource: 's3.amazonaws.com', eventName: 'GetBucketVersioning', readOnly: true, by: { config: 0.5, ci: 0.5 }, request: (c) => bucketParams(c, 'versioning'), additional: s3Additional },
  { eventSource: 's3.amazonaws.com', eventName: 'GetBucketEncryption', readOnly: true, by: { config: 0.5, auditor: 0.3 }, request: (c) => bucketParams(c, 'encryption'), additional: s3Additional },
  { eventSource: 's3.amazonaws.com', eventName: 'GetBucketPublicAccessBlock', readOnly: true, by: { config: 0.5, auditor: 0.3 }, request: (c) => bucketParams(c, 'publicAccessBlock'), additional: s3Additional },
  {
    eventSource: 's3.amazonaws.com',
    eventName: 'GetBucketAcl',
    readOnly: true,
    by: { 'trail-service': 1 },
    // CloudTrail checks the log bucket's ACL before each delivery.
    request: (c) => ({ bucketName: `acme-org-cloudtrail-logs-${c.accountId}`, Host: `acme-org-cloudtrail-logs-${c.accountId}.s3.amazonaws.com`, acl: '' }),
    additional: s3Additional,
    resources: (c) => [resource(c.accountId, 'AWS::S3::Bucket', `arn:aws:s3:::acme-org-cloudtrail-logs-${c.accountId}`)],
  },
  // Lambda
  { eventSource: 'lambda.amazonaws.com', eventName: 'ListFunctions20150331', readOnly: true, by: { human: 0.7, config: 0.5 }, request: () => ({ functionVersion: 'ALL' }) },
  { eventSource: 'lambda.amazonaws.com', eventName: 'GetFunction20150331v2', readOnly: true, by: { human: 0.5, ci: 1.5 }, request: (c) => ({ functionName: c.rng.pick(names(c).functions) }) },
  {
    eventSource: 'lambda.amazonaws.com',
    eventName: 'UpdateFunctionCode20150331v2',
    readOnly: false,
    by: { ci: 1.2 },
    request: (c) => ({ functionName: c.rng.pick(names(c).functions), publish: true, dryRun: false, s3Bucket: `acme-${c.short}-artifacts`, s3Key: `lambda/${c.rng.hex(12)}.zip` }),
    response: (c) => ({ functionName: c.rng.pick(names(c).functions), runtime: 'python3.12', codeSize: c.rng.int(100000, 9000000), lastUpdateStatus: 'InProgress', version: String(c.rng.int(12, 240)) }),
  },
  // SSM, Secrets Manager
  { eventSource: 'ssm.amazonaws.com', eventName: 'GetParameter', readOnly: true, by: { app: 3, ci: 1, human: 0.3 }, request: (c) => ({ name: c.rng.pick(names(c).params), withDecryption: true }) },
  { eventSource: 'ssm.amazonaws.com', eventName: 'GetParameters', readOnly: true, by: { app: 2, ci: 1 }, request: (c) => ({ names: names(c).params.slice(0, 2), withDecryption: true }) },
  { eventSource: 'ssm.amazonaws.com', eventName: 'DescribeInstanceInformation', readOnly: true, by: { config: 0.5, human: 0.2 }, request: () => ({ maxResults: 50 }) },
  {
    eventSource: 'ssm.amazonaws.com',
    eventName: 'PutParameter',
    readOnly: false,
    by: { ci: 0.8, human: 0.1 },
    request: (c) => ({ name: c.rng.pick(names(c).params), type: 'String', overwrite: true }),
    response: (c) => ({ version: c.rng.int(2, 90), tier: 'Standard' }),
  },
  {
    eventSource: 'ssm.amazonaws.com',
    eventName: 'UpdateInstanceInformation',
    readOnly: false,
    by: { app: 1.2 },
    request: (c) => ({ instanceId: `i-${c.rng.hex(17)}`, agentVersion: '3.3.1142.0', agentStatus: 'Active', platformType: 'Linux', platformName: 'Amazon Linux', platformVersion: '2023', iPAddress: `10.${c.rng.int(0, 40)}.${c.rng.int(0, 255)}.${c.rng.int(4, 250)}`, computerName: `ip-10-0-${c.rng.int(0, 255)}-${c.rng.int(4, 250)}.ec2.internal`, agentName: 'amazon-ssm-agent', availabilityZone: `${c.region}b`, availabilityZoneId: 'use1-az2' }),
  },
  { eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue', readOnly: true, by: { app: 2 }, request: (c) => ({ secretId: c.rng.pick(names(c).secrets) }) },
  { eventSource: 'secretsmanager.amazonaws.com', eventName: 'DescribeSecret', readOnly: true, by: { ci: 0.5, config: 0.3 }, request: (c) => ({ secretId: c.rng.pick(names(c).secrets) }) },
  // CloudWatch, Logs
  { eventSource: 'monitoring.amazonaws.com', eventName: 'GetMetricData', readOnly: true, by: { auditor: 4, human: 0.5 }, request: (c) => ({ startTime: 'Nov 20, 2026, 12:00:00 AM', endTime: 'Nov 20, 2026, 1:00:00 AM', metricDataQueries: [{ id: 'a', metricStat: { metric: { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count' }, period: 60, stat: 'Sum' } }], maxDatapoints: 1000 + c.rng.int(0, 10) }) },
  { eventSource: 'monitoring.amazonaws.com', eventName: 'DescribeAlarms', readOnly: true, by: { auditor: 1, human: 0.5, config: 0.3 }, request: () => ({ maxRecords: 100 }) },
  {
    eventSource: 'monitoring.amazonaws.com',
    eventName: 'PutMetricAlarm',
    readOnly: false,
    by: { ci: 0.5, autoscaling: 0.5 },
    request: (c) => ({ alarmName: c.rng.pick(names(c).alarms), metricName: 'CPUUtilization', namespace: 'AWS/ECS', statistic: 'Average', period: 60, evaluationPeriods: 3, threshold: 80, comparisonOperator: 'GreaterThanThreshold', actionsEnabled: true }),
  },
  { eventSource: 'logs.amazonaws.com', eventName: 'DescribeLogGroups', readOnly: true, by: { human: 0.7, ci: 0.5, config: 0.3 }, request: () => ({ limit: 50 }) },
  { eventSource: 'logs.amazonaws.com', eventName: 'FilterLogEvents', readOnly: true, by: { human: 0.8 }, request: (c) => ({ logGroupName: c.rng.pick(names(c).logGroups), filterPattern: 'ERROR', interleaved: true }) },
  {
    eventSource: 'logs.amazonaws.com',
    eventName: 'CreateLogGroup',
    readOnly: false,
    by: { ci: 0.3, app: 0.2 },
    request: (c) => ({ logGroupName: `${c.rng.pick(names(c).logGroups)}-${c.rng.hex(6)}` }),
  },
  { eventSource: 'logs.amazonaws.com', eventName: 'CreateLogStream', readOnly: false, by: { app: 1.2 }, request: (c) => ({ logGroupName: c.rng.pick(names(c).logGroups), logStreamName: `2026/11/20/[$LATEST]${c.rng.hex(32)}` }) },
  // DynamoDB, ECS, RDS reads and benign writes
  { eventSource: 'dynamodb.amazonaws.com', eventName: 'DescribeTable', readOnly: true, by: { app: 1, ci: 1, config: 0.5 }, request: (c) => ({ tableName: c.rng.pick(names(c).tables) }) },
  { eventSource: 'dynamodb.amazonaws.com', eventName: 'ListTables', readOnly: true, by: { human: 0.5, config: 0.3 } },
  {
    eventSource: 'dynamodb.amazonaws.com',
    eventName: 'UpdateTable',
    readOnly: false,
    by: { autoscaling: 0.4, ci: 0.2 },
    request: (c) => ({ tableName: c.rng.pick(names(c).tables), provisionedThroughput: { readCapacityUnits: c.rng.int(5, 200), writeCapacityUnits: c.rng.int(5, 100) } }),
  },
  { eventSource: 'ecs.amazonaws.com', eventName: 'DescribeServices', readOnly: true, by: { ci: 1.5, human: 0.5 }, request: (c) => ({ cluster: names(c).clusters[0]!, services: names(c).services }) },
  { eventSource: 'ecs.amazonaws.com', eventName: 'ListClusters', readOnly: true, by: { human: 0.3, config: 0.3 } },
  {
    eventSource: 'ecs.amazonaws.com',
    eventName: 'UpdateService',
    readOnly: false,
    by: { ci: 0.8 },
    request: (c) => ({ cluster: names(c).clusters[0]!, service: c.rng.pick(names(c).services), forceNewDeployment: true, taskDefinition: `${c.short}-orders-api:${c.rng.int(100, 400)}` }),
  },
  { eventSource: 'rds.amazonaws.com', eventName: 'DescribeDBInstances', readOnly: true, by: { human: 0.4, config: 0.5, auditor: 0.2 }, request: () => ({ maxRecords: 100 }) },
  { eventSource: 'rds.amazonaws.com', eventName: 'DescribeDBSnapshots', readOnly: true, by: { config: 0.3, auditor: 0.2 }, request: () => ({ snapshotType: 'manual', includeShared: false, includePublic: false }) },
  // SNS, SQS, ECR, ELB, Auto Scaling
  { eventSource: 'sns.amazonaws.com', eventName: 'Publish', readOnly: false, by: { app: 0.6 }, request: (c) => ({ topicArn: `arn:aws:sns:${c.region}:${c.accountId}:${c.rng.pick(names(c).topics)}`, subject: 'OrderCreated' }), response: (c) => ({ messageId: c.rng.uuid() }) },
  { eventSource: 'sns.amazonaws.com', eventName: 'ListTopics', readOnly: true, by: { human: 0.2, config: 0.3 } },
  { eventSource: 'sqs.amazonaws.com', eventName: 'GetQueueAttributes', readOnly: true, by: { app: 0.5, auditor: 0.5, config: 0.2 }, request: (c) => ({ queueUrl: `https://sqs.${c.region}.amazonaws.com/${c.accountId}/${c.rng.pick(names(c).queues)}`, attributeNames: ['ApproximateNumberOfMessages'] }) },
  { eventSource: 'sqs.amazonaws.com', eventName: 'ListQueues', readOnly: true, by: { human: 0.2, config: 0.2 } },
  { eventSource: 'ecr.amazonaws.com', eventName: 'GetAuthorizationToken', readOnly: true, by: { ci: 1.5, app: 0.3 } },
  { eventSource: 'ecr.amazonaws.com', eventName: 'PutImage', readOnly: false, by: { ci: 0.4 }, request: (c) => ({ repositoryName: `${c.short}/orders-api`, imageTag: c.rng.hex(7), imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' }) },
  { eventSource: 'elasticloadbalancing.amazonaws.com', eventName: 'DescribeTargetHealth', readOnly: true, by: { ci: 1, autoscaling: 1.5 }, request: (c) => ({ targetGroupArn: `arn:aws:elasticloadbalancing:${c.region}:${c.accountId}:targetgroup/${c.short}-orders-api/${stableRng(`tg:${c.accountId}`).hex(16)}` }) },
  { eventSource: 'autoscaling.amazonaws.com', eventName: 'DescribeAutoScalingGroups', readOnly: true, by: { ci: 0.5, autoscaling: 0.5, config: 0.3 }, request: () => ({ maxRecords: 100 }) },
  // CloudTrail, Config, Organizations, Route 53 reads: the read-only twins of what the rules watch.
  { eventSource: 'cloudtrail.amazonaws.com', eventName: 'DescribeTrails', readOnly: true, by: { auditor: 1, config: 0.5, admin: 0.3 }, request: () => ({ includeShadowTrails: true }) },
  { eventSource: 'cloudtrail.amazonaws.com', eventName: 'GetTrailStatus', readOnly: true, by: { auditor: 1, config: 0.3 }, request: () => ({ name: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/acme-org-trail' }) },
  { eventSource: 'cloudtrail.amazonaws.com', eventName: 'GetEventSelectors', readOnly: true, by: { auditor: 0.8, config: 0.3 }, request: () => ({ trailName: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/acme-org-trail' }) },
  { eventSource: 'cloudtrail.amazonaws.com', eventName: 'LookupEvents', readOnly: true, by: { human: 0.3, auditor: 0.5, admin: 0.3 }, request: () => ({ maxResults: 50 }) },
  { eventSource: 'config.amazonaws.com', eventName: 'DescribeConfigurationRecorderStatus', readOnly: true, by: { auditor: 0.5, config: 0.5 } },
  { eventSource: 'config.amazonaws.com', eventName: 'DescribeConfigRules', readOnly: true, by: { auditor: 0.5 } },
  { eventSource: 'organizations.amazonaws.com', eventName: 'ListAccounts', readOnly: true, by: { admin: 1, auditor: 1 }, accounts: ['111111111111'] },
  { eventSource: 'organizations.amazonaws.com', eventName: 'DescribeOrganization', readOnly: true, by: { admin: 0.5, auditor: 0.5, config: 0.5, ci: 0.3 } },
  { eventSource: 'organizations.amazonaws.com', eventName: 'ListPoliciesForTarget', readOnly: true, by: { admin: 0.5, auditor: 0.3 }, accounts: ['111111111111'], request: () => ({ targetId: '444444444444', filter: 'SERVICE_CONTROL_POLICY' }) },
  { eventSource: 'route53.amazonaws.com', eventName: 'ListHostedZones', readOnly: true, by: { human: 0.2, ci: 0.5, config: 0.2 } },
  { eventSource: 'route53.amazonaws.com', eventName: 'ListResourceRecordSets', readOnly: true, by: { ci: 0.5, human: 0.2 }, request: (c) => ({ hostedZoneId: stableId('Z', `zone:${c.accountId}`, 20) }) },
];

// The weights above read as "how often, among a caller's reads"; writes are scaled up so that about one
// call in five writes, as in a real organization's management events.
const WRITE_WEIGHT = 4.2;

const specsByKind = new Map<ActorKind, (readonly [NoiseSpec, number])[]>();
for (const spec of NOISE_SPECS) {
  for (const [kind, weight] of Object.entries(spec.by) as [ActorKind, number][]) {
    const list = specsByKind.get(kind) ?? [];
    list.push([spec, spec.readOnly ? weight : weight * WRITE_WEIGHT]);
    specsByKind.set(kind, list);
  }
}

/** Counts AccessDenied per principal so the noise never reaches the unauthorized-calls threshold. */
export type DeniedCounter = Map<string, number>;

/** Noise never gives a principal more than this many authorization failures (the rule's threshold is 10). */
export const MAX_NOISE_DENIED_PER_PRINCIPAL = 2;

/** Builds one ordinary event for a caller of the roster at a given time, or null if none fits. */
export function noiseRecord(
  rng: Rng,
  options: {
    entry: RosterEntry;
    accountId: string;
    short: string;
    region: string;
    time: number;
    denied?: DeniedCounter;
    deniedRate?: number;
  },
): CloudTrailRecord | null {
  const { entry, accountId } = options;
  const choices = (specsByKind.get(entry.kind) ?? []).filter(
    ([spec]) => !spec.accounts || spec.accounts.includes(accountId),
  );
  if (choices.length === 0) return null;
  let spec = rng.weighted(choices);
  let region = isGlobalSource(spec.eventSource) ? 'us-east-1' : options.region;
  // Writes stay in the approved regions; a region outside them only sees reads.
  if (!spec.readOnly && !WRITE_REGIONS.includes(region)) {
    const reads = choices.filter(([s]) => s.readOnly && !isGlobalSource(s.eventSource));
    if (reads.length === 0) return null;
    spec = rng.weighted(reads);
    region = options.region;
  }
  const context: NoiseContext = { rng, accountId, short: options.short, region, actor: entry.actor };
  const input: EventInput = {
    actor: entry.actor,
    time: options.time,
    accountId,
    region,
    eventSource: spec.eventSource,
    eventName: spec.eventName,
    readOnly: spec.readOnly,
    requestParameters: spec.request ? spec.request(context) : null,
    responseElements: spec.response ? spec.response(context) : null,
    ...(spec.additional ? { additionalEventData: spec.additional(context) } : {}),
    ...(spec.resources ? { resources: spec.resources(context) } : {}),
  };
  const humanish = entry.kind === 'human' || entry.kind === 'admin' || entry.kind === 'ci';
  if (humanish && options.denied && rng.chance(options.deniedRate ?? 0.002)) {
    const key = entry.actor.identity.sessionContext?.sessionIssuer?.arn ?? entry.actor.identity.arn ?? '';
    const count = options.denied.get(key) ?? 0;
    if (count < MAX_NOISE_DENIED_PER_PRINCIPAL) {
      options.denied.set(key, count + 1);
      Object.assign(input, accessDenied(spec.eventSource, spec.eventName, entry.actor.identity));
    }
  }
  return buildRecord(rng, input);
}
