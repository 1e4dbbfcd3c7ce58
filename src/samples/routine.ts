// The organization's routine, the same every day: the platform team's Terraform applies through the
// GitHub Actions deploy role (security groups, peering, queues, DNS, IAM), the security team's morning
// break-glass drill, the nightly jobs (a database export, the reaper of dev's scratch security groups) and the
// platform lead's sign-in. It fires rules every day, which is what suppressions and "recurring" are for:
// the demo's config suppresses the deploy role and the drill, and the second day shows the rest as recurring.
import type { JsonObject } from './cloudtrail.js';
import { USER_AGENTS, assumedRoleActor, iamUserActor, stableId } from './cloudtrail.js';
import { consoleLoginParts, resource, securityGroupIngressParameters, securityGroupIngressResponse } from './event-shapes.js';
import { ACCOUNT, IPS } from './org.js';
import { stableRng } from './random.js';
import type { StoryWriter } from './story.js';

/** What the day's Terraform apply changes: the same kinds of change each day, different resources. */
interface TerraformChange {
  sgName: string;
  sgDescription: string;
  port: number;
  queueConsumer: string;
  record: string;
  costCenter: string;
  policyName: string;
}

const CHANGES: readonly TerraformChange[] = [
  { sgName: 'payments-cache-access', sgDescription: 'Payments API to Redis', port: 6379, queueConsumer: 'billing-consumer', record: 'status.acme.example', costCenter: 'payments', policyName: 'payments-s3-read' },
  { sgName: 'orders-db-access', sgDescription: 'Orders API to Postgres', port: 5432, queueConsumer: 'security-analytics-consumer', record: 'api.acme.example', costCenter: 'orders', policyName: 'orders-s3-read' },
];

/** A time as CloudTrail writes dates inside responseElements ("Nov 20, 2026, 12:40:22 PM"). */
function awsDate(ms: number): string {
  return new Date(ms).toLocaleString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' });
}

/** The principals of the routine, for the demo's suppressions and tests. */
export const ROUTINE = {
  deployRole: 'github-actions-deploy',
  breakGlassUser: 'break-glass-admin',
  nightlyExportRole: 'nightly-db-export',
  reaperRole: 'dev-env-reaper',
} as const;

/** The routine of one day; `dayIndex` picks that day's Terraform change (0 for the first day). */
export function routineDay(writer: StoryWriter, date: string, dayIndex: number): void {
  const { routine, at, rng } = writer;
  const { dev, prod, management, security } = ACCOUNT;
  const change = CHANGES[dayIndex % CHANGES.length] as TerraformChange;

  // 00:30 — the nightly reaper deletes the security groups of yesterday's scratch environments in acme-dev.
  const reaper = assumedRoleActor(dev, ROUTINE.reaperRole, ROUTINE.reaperRole, { ip: IPS.devNat[0], userAgent: USER_AGENTS.boto3 });
  for (const [i, name] of ['scratch-a', 'scratch-b'].entries()) {
    const groupId = `sg-${stableRng(`sg:${dev}:${date}:${name}`).hex(17)}`;
    routine(
      { actor: reaper, time: at(0, 30, 4 + i * 7), accountId: dev, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'DeleteSecurityGroup', readOnly: false, requestParameters: { groupId }, responseElements: { requestId: rng.uuid(), _return: true } },
      ['security-group-change'],
    );
  }

  // 01:15 — the nightly export of the orders database, as a manual snapshot.
  const exporter = assumedRoleActor(prod, ROUTINE.nightlyExportRole, ROUTINE.nightlyExportRole, { ip: IPS.prodNat[2], userAgent: USER_AGENTS.boto3 });
  const snapshot = `orders-prod-nightly-${date.replaceAll('-', '')}`;
  routine(
    {
      actor: exporter, time: at(1, 15, 2), accountId: prod, region: 'us-east-1', eventSource: 'rds.amazonaws.com', eventName: 'CreateDBSnapshot', readOnly: false,
      requestParameters: { dBSnapshotIdentifier: snapshot, dBInstanceIdentifier: 'orders-prod' },
      responseElements: { dBSnapshotIdentifier: snapshot, dBInstanceIdentifier: 'orders-prod', engine: 'postgres', allocatedStorage: 500, status: 'creating', snapshotType: 'manual', encrypted: true, dBSnapshotArn: `arn:aws:rds:us-east-1:${prod}:snapshot:${snapshot}`, storageType: 'gp3' },
    },
    ['rds-snapshot-activity'],
  );

  // 08:05 — the security on-call's break-glass drill: sign in with the sealed user and MFA, look, leave.
  const breakGlass = iamUserActor(management, ROUTINE.breakGlassUser, { ip: IPS.office[1], userAgent: USER_AGENTS.browser, console: true });
  routine(
    { actor: breakGlass, identity: { ...breakGlass.identity, accessKeyId: '', sessionContext: undefined }, time: at(8, 5, 12), accountId: management, region: 'us-east-1', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', requestParameters: null, ...consoleLoginParts({ accountId: management, success: true, mfaUsed: true }) },
    ['console-login'],
  );
  routine({ actor: { ...breakGlass, userAgent: USER_AGENTS.awsInternal }, time: at(8, 6, 40), accountId: management, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'GetAccountSummary', readOnly: true });

  // 08:50 — the platform lead signs in to the management account with MFA, as every morning.
  const lead = iamUserActor(management, 'maria.garcia', { ip: IPS.office[0], userAgent: USER_AGENTS.browser, console: true });
  routine(
    { actor: lead, identity: { ...lead.identity, accessKeyId: '', sessionContext: undefined }, time: at(8, 50, 41), accountId: management, region: 'us-east-1', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', requestParameters: null, ...consoleLoginParts({ accountId: management, success: true, mfaUsed: true }) },
    ['console-login'],
  );

  // 11:00–13:30 — the platform team's ordinary changes in acme-prod, through Terraform in CI.
  const terraform = assumedRoleActor(prod, 'github-actions-deploy', 'GitHubActions', { ip: IPS.githubRunners[0], userAgent: USER_AGENTS.terraform });
  const prodVpc = `vpc-${stableRng(`vpc:${prod}`).hex(17)}`;
  const newSg = `sg-${stableRng(`sg:${prod}:${change.sgName}`).hex(17)}`;
  routine(
    { actor: terraform, time: at(11, 10, 3), accountId: prod, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'CreateSecurityGroup', readOnly: false, requestParameters: { groupName: change.sgName, groupDescription: change.sgDescription, vpcId: prodVpc }, responseElements: { requestId: rng.uuid(), _return: true, groupId: newSg } },
    ['security-group-change'],
  );
  const pg = [{ protocol: 'tcp' as const, fromPort: change.port, toPort: change.port, cidrIpv4: '10.20.0.0/16', description: 'orders-api subnets' }];
  routine(
    { actor: terraform, time: at(11, 10, 31), accountId: prod, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress', readOnly: false, requestParameters: securityGroupIngressParameters(newSg, pg), responseElements: securityGroupIngressResponse(rng, prod, newSg, pg) },
    ['security-group-change'],
  );
  const pcx = `pcx-${stableRng(`pcx:${prod}:${date}`).hex(17)}`;
  routine(
    { actor: terraform, time: at(11, 30, 0), accountId: prod, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'CreateVpcPeeringConnection', readOnly: false, requestParameters: { vpcId: prodVpc, peerVpcId: `vpc-${stableRng(`vpc:${security}`).hex(17)}`, peerOwnerId: security, peerRegion: 'us-east-1' }, responseElements: { requestId: rng.uuid(), vpcPeeringConnection: { vpcPeeringConnectionId: pcx, status: { code: 'initiating-request', message: `Initiating Request to ${security}` } } } },
    ['vpc-change'],
  );
  routine(
    { actor: terraform, time: at(11, 31, 12), accountId: prod, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'CreateRoute', readOnly: false, requestParameters: { routeTableId: `rtb-${stableRng(`rtb:${prod}`).hex(17)}`, destinationCidrBlock: '10.30.0.0/16', vpcPeeringConnectionId: pcx }, responseElements: { requestId: rng.uuid(), _return: true } },
    ['vpc-change'],
  );
  routine(
    { actor: terraform, time: at(11, 31, 50), accountId: prod, region: 'us-east-1', eventSource: 'ec2.amazonaws.com', eventName: 'CreateNetworkAclEntry', readOnly: false, requestParameters: { networkAclId: `acl-${stableRng(`acl:${prod}`).hex(17)}`, ruleNumber: 120, egress: false, ruleAction: 'allow', icmpTypeCode: {}, portRange: { from: 443, to: 443 }, aclProtocol: '6', cidrBlock: '10.30.0.0/16' }, responseElements: { requestId: rng.uuid(), _return: true } },
    ['vpc-change'],
  );
  const queueUrl = `https://sqs.us-west-2.amazonaws.com/${prod}/prod-orders-events`;
  routine(
    { actor: terraform, time: at(12, 5, 9), accountId: prod, region: 'us-west-2', eventSource: 'sqs.amazonaws.com', eventName: 'AddPermission', readOnly: false, requestParameters: { queueUrl, label: change.queueConsumer, aWSAccountIds: [security], actions: ['ReceiveMessage', 'DeleteMessage'] } },
    ['sqs-permission-change'],
  );
  const queuePolicy: JsonObject = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:us-west-2:${prod}:prod-orders-events`, Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-west-2:${prod}:prod-orders-created` } } }] };
  routine(
    { actor: terraform, time: at(12, 6, 0), accountId: prod, region: 'us-west-2', eventSource: 'sqs.amazonaws.com', eventName: 'SetQueueAttributes', readOnly: false, requestParameters: { queueUrl, attributes: { Policy: JSON.stringify(queuePolicy) } } },
    ['sqs-permission-change'],
  );
  routine(
    { actor: terraform, time: at(12, 6, 40), accountId: prod, region: 'us-west-2', eventSource: 'sqs.amazonaws.com', eventName: 'SetQueueAttributes', readOnly: false, requestParameters: { queueUrl, attributes: { VisibilityTimeout: '120' } } },
    [],
    ['sqs-permission-change'],
  );
  const zone = stableId('Z', `zone:${prod}`, 20);
  routine(
    {
      actor: terraform, time: at(12, 40, 22), accountId: prod, region: 'us-east-1', eventSource: 'route53.amazonaws.com', eventName: 'ChangeResourceRecordSets', readOnly: false,
      requestParameters: { hostedZoneId: zone, changeBatch: { changes: [{ action: 'UPSERT', resourceRecordSet: { name: change.record, type: 'A', aliasTarget: { hostedZoneId: 'Z35SXDOTRQ7X7K', dNSName: 'prod-orders-alb-1234567890.us-east-1.elb.amazonaws.com', evaluateTargetHealth: true } } }] } },
      responseElements: { changeInfo: { id: `/change/C${rng.upperAlnum(20)}`, status: 'PENDING', submittedAt: awsDate(at(12, 40, 22)) } },
      resources: [resource(prod, 'AWS::Route53::HostedZone', `arn:aws:route53:::hostedzone/${zone}`)],
    },
    ['route53-change'],
  );
  const taskRole = 'prod-orders-api-task';
  routine({ actor: terraform, time: at(13, 15, 2), accountId: prod, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'TagRole', readOnly: false, requestParameters: { roleName: taskRole, tags: [{ key: 'cost-center', value: change.costCenter }] } }, ['iam-change']);
  routine({ actor: terraform, time: at(13, 15, 9), accountId: prod, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'UpdateRoleDescription', readOnly: false, requestParameters: { roleName: taskRole, description: 'Orders API ECS task role' } }, ['iam-change']);
  const inline: JsonObject = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::acme-prod-app-data/orders/*' }] };
  routine({ actor: terraform, time: at(13, 15, 20), accountId: prod, region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'PutRolePolicy', readOnly: false, requestParameters: { roleName: taskRole, policyName: change.policyName, policyDocument: JSON.stringify(inline) } }, ['iam-change']);
}
