import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { runTestCase } from '../../src/rules/test-cases.js';

// The events each CIS AWS Foundations Benchmark (v3.0, section 4) monitoring metric filter counts, and the
// rules that must find every one of them. Each event is the bare call by an IAM user: no readOnly, no
// recipientAccountId, no caller ARN, no request parameters, as older records and some services write it.
// A rule that narrows a filter on purpose (a threshold, services acting for themselves) says so in its
// SQL and its `why`; the events here are the ones no rule may drop.
const CIS: { control: string; rules: string[]; source: string; events: string[]; fields?: Record<string, unknown>; parameters?: Record<string, unknown> }[] = [
  { control: '4.1', rules: ['unauthorized-api-calls'], source: 'ec2.amazonaws.com', events: ['DescribeInstances'], fields: { errorCode: 'Client.UnauthorizedOperation' }, parameters: { threshold: 1 } },
  { control: '4.1', rules: ['unauthorized-api-calls'], source: 'iam.amazonaws.com', events: ['ListUsers'], fields: { errorCode: 'AccessDenied' }, parameters: { threshold: 1 } },
  { control: '4.2', rules: ['console-login'], source: 'signin.amazonaws.com', events: ['ConsoleLogin'], fields: { responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'No' } } },
  { control: '4.3', rules: ['root-usage'], source: 'ec2.amazonaws.com', events: ['RunInstances'], fields: { userIdentity: { type: 'Root', principalId: '111122223333', accountId: '111122223333' } } },
  {
    control: '4.4',
    rules: ['iam-change', 'iam-critical-change'],
    source: 'iam.amazonaws.com',
    events: ['DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy', 'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'SetDefaultPolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy', 'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy'],
  },
  { control: '4.5', rules: ['trail-tampering'], source: 'cloudtrail.amazonaws.com', events: ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'] },
  { control: '4.6', rules: ['console-login-failure'], source: 'signin.amazonaws.com', events: ['ConsoleLogin'], fields: { errorMessage: 'Failed authentication' } },
  { control: '4.7', rules: ['kms-key-deletion'], source: 'kms.amazonaws.com', events: ['DisableKey', 'ScheduleKeyDeletion'] },
  {
    control: '4.8',
    rules: ['s3-bucket-policy-change'],
    source: 's3.amazonaws.com',
    events: ['PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication', 'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication'],
  },
  { control: '4.9', rules: ['config-change'], source: 'config.amazonaws.com', events: ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'] },
  {
    control: '4.10',
    rules: ['security-group-change'],
    source: 'ec2.amazonaws.com',
    events: ['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup'],
  },
  { control: '4.11', rules: ['vpc-change'], source: 'ec2.amazonaws.com', events: ['CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation'] },
  { control: '4.12', rules: ['vpc-change'], source: 'ec2.amazonaws.com', events: ['CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway'] },
  { control: '4.13', rules: ['vpc-change'], source: 'ec2.amazonaws.com', events: ['CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable'] },
  {
    control: '4.14',
    rules: ['vpc-change'],
    source: 'ec2.amazonaws.com',
    events: ['CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection', 'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'DisableVpcClassicLink', 'EnableVpcClassicLink'],
  },
  {
    control: '4.15',
    rules: ['organizations-change'],
    source: 'organizations.amazonaws.com',
    events: ['AcceptHandshake', 'AttachPolicy', 'CreateAccount', 'CreateOrganizationalUnit', 'CreatePolicy', 'DeclineHandshake', 'DeleteOrganization', 'DeleteOrganizationalUnit', 'DeletePolicy', 'DetachPolicy', 'DisablePolicyType', 'EnablePolicyType', 'InviteAccountToOrganization', 'LeaveOrganization', 'MoveAccount', 'RemoveAccountFromOrganization', 'UpdatePolicy', 'UpdateOrganizationalUnit'],
  },
];

const rules = await loadRules();

describe('every event a CIS 4.x monitoring filter counts is found by its rules', () => {
  it.each(CIS.map((c) => [c.control, c.events.length, c] as const))('CIS %s (%i events)', async (_control, _n, c) => {
    const events = c.events.map((eventName) => ({ eventSource: c.source, eventName, ...c.fields }));
    const found = new Set<string>();
    for (const id of c.rules) {
      const rule = rules.find((r) => r.id === id)!;
      const result = await runTestCase(
        rule,
        {
          name: `CIS ${c.control}`,
          expect: 'match',
          events,
          omit: ['readOnly', 'recipientAccountId', 'userIdentity.arn', 'requestParameters'],
          ...(c.parameters ? { parameters: c.parameters } : {}),
        },
      );
      expect(result.error, id).toBeUndefined();
      // Each event's id is its position in the case; aggregate findings list the ids behind them.
      for (const finding of result.findings) {
        for (const eventId of finding.eventIds ?? [finding.eventId]) found.add(c.events[Number(eventId?.slice(-12)) - 1]!);
      }
    }
    expect(c.events.filter((e) => !found.has(e))).toEqual([]);
  });
});
