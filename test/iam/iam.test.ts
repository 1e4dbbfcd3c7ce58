import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readTemplate } from '../support/cfn-yaml.js';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, unknown>;
  Condition?: Record<string, Record<string, unknown>>;
}

function actions(statements: Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

function template(): Promise<Record<string, unknown>> {
  return readTemplate('iam/audit-role.yaml');
}

describe('iam/audit-role.yaml', () => {
  it('is a CloudFormation template with the audit role and the management-only Organizations policy', async () => {
    const cfn = await template();
    expect(cfn.AWSTemplateFormatVersion).toBe('2010-09-09');
    const resources = cfn.Resources as Record<
      string,
      { Type: string; Condition?: string; Properties: Record<string, unknown> }
    >;
    expect(resources.AuditRole?.Type).toBe('AWS::IAM::Role');
    expect(resources.OrganizationsReadPolicy?.Condition).toBe('IsManagementAccount');
    expect((cfn.Conditions as Record<string, unknown>).IsManagementAccount).toEqual({
      'Fn::Equals': [{ Ref: 'AWS::AccountId' }, { Ref: 'ManagementAccountId' }],
    });
  });

  it('grants exactly the read actions trailwatch calls, and no wildcard action', async () => {
    const cfn = await template();
    const resources = cfn.Resources as Record<string, { Properties: Record<string, unknown> }>;
    const role = resources.AuditRole!.Properties as {
      Policies: { PolicyDocument: { Statement: Statement[] } }[];
    };
    const memberActions = actions(role.Policies.flatMap((p) => p.PolicyDocument.Statement));
    const orgPolicy = resources.OrganizationsReadPolicy!.Properties as {
      PolicyDocument: { Statement: Statement[] };
    };
    const orgActions = actions(orgPolicy.PolicyDocument.Statement);
    expect(memberActions.sort()).toEqual([
      'account:ListRegions',
      'cloudtrail:DescribeTrails',
      'cloudtrail:GetEventSelectors',
      'cloudtrail:GetTrailStatus',
      'cloudtrail:ListTrails',
      'ec2:DescribeRegions',
    ]);
    expect(orgActions.sort()).toEqual([
      'organizations:DescribeOrganization',
      'organizations:ListAccounts',
      'organizations:ListAccountsForParent',
      'organizations:ListOrganizationalUnitsForParent',
    ]);
    for (const action of [...memberActions, ...orgActions]) {
      expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      expect(action).not.toContain('*');
    }
    expect([...memberActions, ...orgActions].some((a) => /^(s3|athena):/.test(a))).toBe(false);
  });

  it('trusts only the configured principal, with the ExternalId and a trailwatch session name', async () => {
    const cfn = await template();
    const role = (cfn.Resources as Record<string, { Properties: Record<string, unknown> }>).AuditRole!
      .Properties as {
      AssumeRolePolicyDocument: { Statement: Statement[] };
    };
    const [trust, ...rest] = role.AssumeRolePolicyDocument.Statement;
    expect(rest).toEqual([]);
    expect(trust?.Action).toBe('sts:AssumeRole');
    expect(trust?.Principal).toEqual({ AWS: { Ref: 'TrustedPrincipalArn' } });
    expect(trust?.Condition?.StringEquals).toEqual({ 'sts:ExternalId': { Ref: 'ExternalId' } });
    expect(trust?.Condition?.StringLike).toEqual({ 'sts:RoleSessionName': 'trailwatch*' });
  });
});

describe('example IAM JSON', () => {
  it('github-oidc-trust.json trusts one repository branch through the GitHub OIDC provider', async () => {
    const doc = JSON.parse(await readFile('iam/github-oidc-trust.json', 'utf8')) as {
      Statement: Statement[];
    };
    const [statement] = doc.Statement;
    expect(statement?.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(statement?.Condition?.StringEquals?.['token.actions.githubusercontent.com:aud']).toBe(
      'sts.amazonaws.com',
    );
    expect(String(statement?.Condition?.StringEquals?.['token.actions.githubusercontent.com:sub'])).toMatch(
      /^repo:[^*]+$/,
    );
  });

  it('hub-role-policy.json lets the hub assume only the audit role and send the digest through SES', async () => {
    const doc = JSON.parse(await readFile('iam/hub-role-policy.json', 'utf8')) as { Statement: Statement[] };
    const [assume, ses, ...rest] = doc.Statement;
    expect(rest).toEqual([]);
    expect(actions(doc.Statement).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail', 'sts:AssumeRole']);
    expect(assume?.Action).toBe('sts:AssumeRole');
    expect(assume?.Resource).toBe('arn:aws:iam::*:role/TrailwatchAudit');
    // SESv2 SendEmail is authorized as ses:SendEmail, and with raw content as ses:SendRawEmail too; only
    // email identities, only from the digest's own address.
    expect(ses?.Resource).toBe('arn:aws:ses:*:*:identity/*');
    expect(Object.keys(ses?.Condition?.StringEquals ?? {})).toEqual(['ses:FromAddress']);
    const example = parse(await readFile('trailwatch.config.example.yaml', 'utf8')) as {
      email: { from: string };
    };
    expect(ses?.Condition?.StringEquals?.['ses:FromAddress']).toBe(example.email.from);
    for (const statement of doc.Statement) expect(statement.Effect).toBe('Allow');
  });
});
