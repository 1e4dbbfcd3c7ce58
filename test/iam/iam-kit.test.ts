// The IAM kit for the recommended path (iam/hub-role.yaml for the role the workflow assumes through GitHub's
// OIDC provider, iam/audit-role.yaml in every account through iam/audit-role-stackset.yaml) against the code:
// every AWS call trailwatch makes (each SDK command and paginator imported in src/, and the role chain's
// AssumeRole), with the actions AWS checks on the caller's behalf for it, is granted by exactly one of the two
// role templates, and nothing else is granted.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../support/cfn-yaml.js';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: Record<string, unknown>;
  Condition?: Record<string, Record<string, unknown>>;
}

type Resources = Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>;

// The SDK client package → the IAM service prefix.
const SERVICE: Record<string, string> = {
  account: 'account',
  athena: 'athena',
  cloudtrail: 'cloudtrail',
  ec2: 'ec2',
  glue: 'glue',
  organizations: 'organizations',
  s3: 's3',
  sesv2: 'ses',
  sts: 'sts',
};

// Operations authorized under another action's name (S3's multipart upload is authorized as PutObject).
const AUTHORIZED_AS: Record<string, string> = {
  's3:CreateMultipartUpload': 's3:PutObject',
  's3:UploadPart': 's3:PutObject',
  's3:CompleteMultipartUpload': 's3:PutObject',
  // Listing a bucket's objects (the previous history's days) is authorized as ListBucket.
  's3:ListObjectsV2': 's3:ListBucket',
};

// What AWS checks on the caller's behalf when trailwatch makes a call, with the code that makes it so.
const IMPLIED: Record<string, { actions: string[]; because: { file: string; pattern: RegExp }[] }> = {
  // Athena reads and writes Glue, S3 and KMS as the caller: the CloudTrail tables and the staging table in
  // Glue, the trail bucket's log files (SSE-KMS: Decrypt), the results location (query results and the
  // staging table's Parquet files; SSE-KMS: GenerateDataKey), for the statements trailwatch sends.
  // (glue:UpdateTable is also a direct call: athena sync.)
  'athena:StartQueryExecution': {
    actions: [
      'glue:GetDatabase',
      'glue:GetTable',
      'glue:CreateDatabase',
      'glue:CreateTable',
      'glue:DeleteTable',
      'glue:UpdateTable',
      's3:GetObject',
      's3:ListBucket',
      's3:GetBucketLocation',
      's3:PutObject',
      's3:AbortMultipartUpload',
      'kms:Decrypt',
      'kms:GenerateDataKey',
    ],
    because: [
      { file: 'src/engine/athena-table.ts', pattern: /CREATE DATABASE IF NOT EXISTS/ },
      { file: 'queries/cloudtrail-table.sql', pattern: /CREATE EXTERNAL TABLE/ },
      { file: 'src/engine/athena.ts', pattern: /CREATE TABLE \$\{stagedName\}/ },
      { file: 'src/engine/athena.ts', pattern: /DROP TABLE IF EXISTS/ },
    ],
  },
  // The Object Lock headers need PutObjectRetention; SSE-KMS needs a data key, and Decrypt to complete a
  // multipart upload.
  's3:PutObject': {
    actions: ['s3:PutObjectRetention', 'kms:GenerateDataKey', 'kms:Decrypt'],
    because: [
      { file: 'src/deliver/s3.ts', pattern: /ObjectLockMode/ },
      { file: 'src/deliver/s3.ts', pattern: /SSEKMSKeyId/ },
    ],
  },
  // nodemailer's SES transport sends the raw MIME message: SESv2 SendEmail with raw content is also
  // authorized as ses:SendRawEmail.
  'ses:SendEmail': {
    actions: ['ses:SendRawEmail'],
    because: [{ file: 'src/deliver/email.ts', pattern: /SES: \{ sesClient: client, SendEmailCommand \}/ }],
  },
};

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

/** Every AWS API call the product makes, as `service:Operation`, with the files that make it. */
async function apiCalls(): Promise<Map<string, string[]>> {
  const calls = new Map<string, string[]>();
  const add = (call: string, file: string) => calls.set(call, [...(calls.get(call) ?? []), file]);
  for (const file of await sourceFiles('src')) {
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g)) {
      const service = SERVICE[m[2]!];
      if (!service) throw new Error(`${file}: the test has no IAM prefix for @aws-sdk/client-${m[2]}`);
      for (const raw of m[1]!.split(',')) {
        // A type import is no call; a command or paginator imported as a value is (nodemailer, say, is
        // handed SendEmailCommand and sends it).
        if (/^type\s/.test(raw.trim())) continue;
        const name = raw.trim();
        const operation = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
        const used = text.slice(0, m.index) + text.slice(m.index + m[0].length);
        if (!operation || !new RegExp(`\\b${name}\\b`).test(used)) continue;
        add(`${service}:${operation}`, file);
      }
    }
    // The role chain: the SDK's fromTemporaryCredentials calls STS AssumeRole for each audited account.
    if (/fromTemporaryCredentials\s*\(/.test(text)) add('sts:AssumeRole', file);
  }
  return calls;
}

/** Every statement a template grants (an `!If` statement counted as granted: the widest deployment). */
function statements(cfn: Record<string, unknown>): Statement[] {
  const docs: { Statement: unknown[] }[] = [];
  for (const resource of Object.values(cfn.Resources as Resources)) {
    const p = resource.Properties;
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of (p.Policies ?? []) as { PolicyDocument: { Statement: unknown[] } }[]) {
        docs.push(policy.PolicyDocument);
      }
    } else if (/^AWS::IAM::(Role|Managed)?Policy$/.test(resource.Type)) {
      docs.push(p.PolicyDocument as { Statement: unknown[] });
    }
  }
  return docs
    .flatMap((d) => d.Statement)
    .map((s) => {
      const conditional = (s as { 'Fn::If'?: [string, unknown, unknown] })['Fn::If'];
      return (conditional ? conditional[1] : s) as Statement;
    });
}

const actionsOf = (list: Statement[]) =>
  new Set(list.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

describe('the IAM kit against the code', () => {
  it('finds the calls the code makes (a sanity check of the extraction)', async () => {
    const calls = await apiCalls();
    for (const call of [
      'athena:StartQueryExecution',
      'organizations:ListAccounts',
      'cloudtrail:GetTrailStatus',
      's3:UploadPart',
      'ses:SendEmail',
      'sts:AssumeRole',
      'glue:UpdateTable',
    ]) {
      expect(calls.has(call), call).toBe(true);
    }
    for (const call of calls.keys()) expect(call).toMatch(/^[a-z0-9]+:[A-Z][A-Za-z0-9]+$/);
  });

  it('grants every action the code needs in exactly one role template, and nothing more', async () => {
    const calls = await apiCalls();
    const needed = new Set<string>();
    for (const call of calls.keys()) {
      const action = AUTHORIZED_AS[call] ?? call;
      needed.add(action);
      for (const implied of IMPLIED[action]?.actions ?? []) needed.add(implied);
    }
    for (const [action, { because }] of Object.entries(IMPLIED)) {
      expect(needed.has(action), `${action} is implied but no longer called`).toBe(true);
      for (const { file, pattern } of because) {
        expect(await readFile(file, 'utf8'), `${file} ${String(pattern)}`).toMatch(pattern);
      }
    }
    const hub = actionsOf(statements(await readTemplate('iam/hub-role.yaml')));
    const audit = actionsOf(statements(await readTemplate('iam/audit-role.yaml')));

    for (const action of needed) {
      expect(Number(hub.has(action)) + Number(audit.has(action)), action).toBe(1);
    }
    expect([...hub, ...audit].filter((a) => !needed.has(a)).sort()).toEqual([]);
    for (const action of [...hub, ...audit]) expect(action).not.toContain('*');
    // The audit role only reads trail configuration and regions (and, in the management account, the
    // organization); everything else is the hub's.
    expect(
      [...audit].every((a) => /^(cloudtrail|ec2|account|organizations):(List|Describe|Get)/.test(a)),
    ).toBe(true);
  });

  it('scopes every hub statement to named resources (no Resource "*")', async () => {
    for (const statement of statements(await readTemplate('iam/hub-role.yaml'))) {
      expect(statement.Effect).toBe('Allow');
      const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      expect(resources.length, statement.Sid).toBeGreaterThan(0);
      for (const resource of resources) expect(resource, statement.Sid).not.toBe('*');
    }
  });
});

describe('iam/hub-role.yaml trust', () => {
  it('accepts exactly the subject the daily job presents: one repository, its environment', async () => {
    const cfn = await readTemplate('iam/hub-role.yaml');
    const resources = cfn.Resources as Resources;
    expect(resources.GitHubOidcProvider?.Type).toBe('AWS::IAM::OIDCProvider');
    expect(resources.GitHubOidcProvider?.Properties).toEqual({
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    const trust = (resources.HubRole!.Properties.AssumeRolePolicyDocument as { Statement: Statement[] })
      .Statement;
    expect(trust).toHaveLength(1);
    const [statement] = trust;
    expect(statement!.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(statement!.Principal).toEqual({
      Federated: {
        'Fn::If': ['CreateOidcProvider', { Ref: 'GitHubOidcProvider' }, { Ref: 'GitHubOidcProviderArn' }],
      },
    });
    // StringEquals only: no wildcard subject, no other operator widening it.
    expect(Object.keys(statement!.Condition ?? {})).toEqual(['StringEquals']);
    expect(statement!.Condition!.StringEquals).toEqual({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': {
        'Fn::Sub': 'repo:${GitHubRepository}:environment:${GitHubEnvironment}',
      },
    });
    // The environment the template trusts by default is the one the workflows' audit job names.
    const environment = (cfn.Parameters as Record<string, { Default?: string }>).GitHubEnvironment?.Default;
    for (const path of ['.github/workflows/daily-audit.yml', 'examples/github/daily-audit.yml']) {
      const workflow = parse(await readFile(path, 'utf8')) as {
        jobs: Record<string, { environment?: string }>;
      };
      const environments = Object.values(workflow.jobs).map((job) => job.environment);
      expect(environments, path).toContain(environment);
    }
  });
});

describe('iam/audit-role-stackset.yaml', () => {
  it('deploys iam/audit-role.yaml as a service-managed StackSet that follows the organization', async () => {
    const cfn = await readTemplate('iam/audit-role-stackset.yaml');
    const stackSet = (cfn.Resources as Resources).AuditRoleStackSet!;
    expect(stackSet.Type).toBe('AWS::CloudFormation::StackSet');
    const p = stackSet.Properties;
    expect(p.PermissionModel).toBe('SERVICE_MANAGED');
    expect(p.AutoDeployment).toEqual({ Enabled: true, RetainStacksOnAccountRemoval: false });
    expect(p.Capabilities).toEqual(['CAPABILITY_NAMED_IAM']);
    expect(p.StackInstancesGroup).toEqual([
      {
        DeploymentTargets: { OrganizationalUnitIds: { Ref: 'OrganizationalUnitIds' } },
        Regions: { Ref: 'Regions' },
      },
    ]);
    // Every parameter of the audit role template is passed, each from the parameter of the same name.
    const audit = await readTemplate('iam/audit-role.yaml');
    const passed = p.Parameters as { ParameterKey: string; ParameterValue: unknown }[];
    expect(passed.map((x) => x.ParameterKey).sort()).toEqual(Object.keys(audit.Parameters as object).sort());
    for (const x of passed) expect(x.ParameterValue).toEqual({ Ref: x.ParameterKey });
  });
});
