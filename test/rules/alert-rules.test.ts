import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { runTestCase } from '../../src/rules/test-cases.js';
import type { RuleDefinition } from '../../src/rules/types.js';

// What the catalogue's match/no-match cases cannot show: the risk a row escalates to, the summary, and how
// aggregate rules group events.

const rules = await loadRules();

function rule(id: string): RuleDefinition {
  const found = rules.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

async function findings(
  id: string,
  events: Record<string, unknown>[],
  parameters?: Record<string, unknown>,
  omit?: string[],
) {
  const result = await runTestCase(rule(id), {
    name: id,
    expect: 'match',
    events,
    ...(parameters ? { parameters } : {}),
    ...(omit ? { omit } : {}),
  });
  expect(result.error).toBeUndefined();
  return result.findings;
}

function failedSignIn(userName: string, ip: string): Record<string, unknown> {
  return {
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    sourceIPAddress: ip,
    userIdentity: { type: 'IAMUser', accountId: '111122223333', userName },
    errorMessage: 'Failed authentication',
    responseElements: { ConsoleLogin: 'Failure' },
  };
}

function times<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

describe('console-login-failure', () => {
  it('groups failures per user and IP, medium under the threshold', async () => {
    const result = await findings(
      'console-login-failure',
      times(4, () => failedSignIn('alice', '203.0.113.9')),
    );

    expect(result).toHaveLength(1);
    expect(result[0]?.risk).toBe('medium');
    expect(result[0]?.eventIds).toHaveLength(4);
    expect(result[0]?.summary).toBe('4 failed console sign-ins as alice from 203.0.113.9');
  });

  it('makes every user name of a spraying IP high once the IP reaches the threshold', async () => {
    const events = ['alice', 'bob', 'carol'].flatMap((u) => times(2, () => failedSignIn(u, '203.0.113.9')));

    const result = await findings('console-login-failure', events);

    expect(result).toHaveLength(3);
    expect(result.map((f) => f.risk)).toEqual(['high', 'high', 'high']);
    expect(result[0]?.summary).toContain('this IP failed 6 times across 3 user names (failure threshold reached)');
    expect(result.flatMap((f) => f.eventIds ?? []).sort()).toEqual(
      times(6, (i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`),
    );
  });

  it('makes a user guessed from many IPs high once the user reaches the threshold', async () => {
    const events = times(5, (i) => failedSignIn('alice', `203.0.113.${i + 1}`));

    const result = await findings('console-login-failure', events);

    expect(result).toHaveLength(5);
    expect(result.every((f) => f.risk === 'high')).toBe(true);
    expect(result[0]?.summary).toContain('alice failed 5 times from 5 addresses');
  });

  it('does not add up names that do not exist as if they were one user', async () => {
    const events = times(5, (i) => failedSignIn('HIDDEN_DUE_TO_SECURITY_REASONS', `203.0.113.${i + 1}`));

    const result = await findings('console-login-failure', events);

    expect(result.map((f) => f.risk)).toEqual(['medium', 'medium', 'medium', 'medium', 'medium']);
    expect(result[0]?.summary).toContain('with user names that do not exist');
  });

  it('says when a successful sign-in from the same IP followed the failures', async () => {
    const events = [
      failedSignIn('alice', '203.0.113.9'),
      failedSignIn('alice', '203.0.113.9'),
      {
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        sourceIPAddress: '203.0.113.9',
        userIdentity: { type: 'IAMUser', accountId: '111122223333', userName: 'alice' },
        responseElements: { ConsoleLogin: 'Success' },
      },
    ];

    const result = await findings('console-login-failure', events);

    expect(result).toHaveLength(1);
    expect(result[0]?.summary).toContain('followed by a successful sign-in from this IP');
  });

  it('still reaches the threshold when the records carry no recipientAccountId', async () => {
    const events = times(5, () => failedSignIn('alice', '203.0.113.9'));

    const result = await findings('console-login-failure', events, undefined, ['recipientAccountId', 'readOnly']);

    expect(result.map((f) => [f.risk, f.accountId])).toEqual([['high', '111122223333']]);
    expect(result[0]?.summary).toContain('(failure threshold reached)');
  });

  it('takes failureThreshold from the parameters', async () => {
    const events = times(2, () => failedSignIn('alice', '203.0.113.9'));

    const result = await findings('console-login-failure', events, { failureThreshold: 2 });

    expect(result[0]?.risk).toBe('high');
  });
});

describe('console-login', () => {
  const signIn = (identity: Record<string, unknown>, mfaUsed: string) => ({
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    userIdentity: identity,
    responseElements: { ConsoleLogin: 'Success' },
    additionalEventData: { MFAUsed: mfaUsed },
  });

  it('is high for an IAM user without MFA and medium with it', async () => {
    const user = { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', userName: 'alice' };

    const [without] = await findings('console-login', [signIn(user, 'No')]);
    const [withMfa] = await findings('console-login', [signIn(user, 'Yes')]);

    expect(without?.risk).toBe('high');
    expect(withMfa?.risk).toBe('medium');
  });

  it('is high for root even with MFA', async () => {
    const root = { type: 'Root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' };

    const [finding] = await findings('console-login', [signIn(root, 'Yes')]);

    expect(finding?.risk).toBe('high');
  });

  it('keeps a federated sign-in at medium although AWS records MFAUsed=No', async () => {
    const federated = {
      type: 'FederatedUser',
      arn: 'arn:aws:sts::111122223333:federated-user/alice',
      principalId: '111122223333:alice',
    };

    const [finding] = await findings('console-login', [signIn(federated, 'No')]);

    expect(finding?.risk).toBe('medium');
    expect(finding?.summary).toContain('through a sign-in token');
  });
});

describe('security-group-open-world', () => {
  it('lists the ports of every open permission, and only those', async () => {
    const event = {
      eventSource: 'ec2.amazonaws.com',
      eventName: 'AuthorizeSecurityGroupIngress',
      requestParameters: {
        groupId: 'sg-0123456789abcdef0',
        ipPermissions: {
          items: [
            {
              ipProtocol: 'tcp',
              fromPort: 443,
              toPort: 443,
              ipRanges: { items: [{ cidrIp: '10.0.0.0/8' }] },
            },
            { ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } },
            {
              ipProtocol: 'udp',
              fromPort: 1000,
              toPort: 2000,
              ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] },
            },
            { ipProtocol: 'icmp', fromPort: -1, toPort: -1, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } },
          ],
        },
      },
    };

    const [finding] = await findings('security-group-open-world', [event]);

    expect(finding?.summary).toBe(
      'AuthorizeSecurityGroupIngress on security group sg-0123456789abcdef0: ingress from the whole internet ' +
        '(all icmp, tcp 22, udp 1000-2000)',
    );
  });

  it('keeps a refused attempt high and lowers a duplicate to medium', async () => {
    const open = {
      eventSource: 'ec2.amazonaws.com',
      eventName: 'AuthorizeSecurityGroupIngress',
      requestParameters: {
        groupId: 'sg-0123456789abcdef0',
        ipPermissions: {
          items: [
            { ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } },
          ],
        },
      },
    };

    const [refused] = await findings('security-group-open-world', [
      { ...open, errorCode: 'Client.UnauthorizedOperation' },
    ]);
    const [duplicate] = await findings('security-group-open-world', [
      { ...open, errorCode: 'Client.InvalidPermission.Duplicate' },
    ]);

    expect(refused?.risk).toBe('high');
    expect(refused?.summary).toContain('(attempt failed: Client.UnauthorizedOperation)');
    expect(duplicate?.risk).toBe('medium');
  });
});

describe('iam-critical-change', () => {
  const attach = (policyArn: string) => ({
    eventSource: 'iam.amazonaws.com',
    eventName: 'AttachUserPolicy',
    requestParameters: { userName: 'bob', policyArn },
  });

  it('calls out AdministratorAccess but not policies that only share its name', async () => {
    const [admin] = await findings('iam-critical-change', [
      attach('arn:aws:iam::aws:policy/AdministratorAccess'),
    ]);
    const [amplify] = await findings('iam-critical-change', [
      attach('arn:aws:iam::aws:policy/AdministratorAccess-Amplify'),
    ]);

    expect(admin?.summary).toContain('AdministratorAccess: full control of the account');
    expect(amplify?.summary).toBe(
      'AttachUserPolicy: user bob, policy arn:aws:iam::aws:policy/AdministratorAccess-Amplify',
    );
  });

  it('does not call a policy limited to one service administrator-equivalent', async () => {
    const event = {
      eventSource: 'iam.amazonaws.com',
      eventName: 'PutRolePolicy',
      requestParameters: {
        roleName: 'app',
        policyName: 's3',
        policyDocument: '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
      },
    };

    const [finding] = await findings('iam-critical-change', [event]);

    expect(finding?.summary).toBe('PutRolePolicy: role app, policy s3');
  });

  it('lowers a failure that refused nobody to medium and keeps a refused attempt high', async () => {
    const create = {
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateRole',
      requestParameters: { roleName: 'x' },
    };

    const [exists] = await findings('iam-critical-change', [{ ...create, errorCode: 'EntityAlreadyExists' }]);
    const [denied] = await findings('iam-critical-change', [{ ...create, errorCode: 'AccessDenied' }]);

    expect(exists?.risk).toBe('medium');
    expect(denied?.risk).toBe('high');
  });
});

describe('unauthorized-api-calls', () => {
  it('keeps the first hundred event ids of a larger burst', async () => {
    const events = times(120, () => ({
      eventSource: 'iam.amazonaws.com',
      eventName: 'ListRoles',
      errorCode: 'AccessDenied',
    }));

    const result = await findings('unauthorized-api-calls', events);

    expect(result).toHaveLength(1);
    expect(result[0]?.summary).toBe('120 refused calls to 1 API (iam:ListRoles)');
    expect(result[0]?.eventIds).toHaveLength(100);
    expect(new Set(result[0]?.eventIds).size).toBe(100);
  });
});

describe('records in the shapes log pipelines deliver', () => {
  const everything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

  it('iam-critical-change reads a policy document as CloudTrail’s JSON string and as an object', async () => {
    const put = (policyDocument: unknown) => ({
      eventSource: 'iam.amazonaws.com',
      eventName: 'PutRolePolicy',
      requestParameters: { roleName: 'app', policyName: 'all', policyDocument },
    });

    const asText = await findings('iam-critical-change', [put(JSON.stringify(everything, null, 2))]);
    const asObject = await findings('iam-critical-change', [put(everything)]);

    expect(asText.map((f) => f.summary)).toEqual([
      'PutRolePolicy: role app, policy all — the policy allows Action "*" on Resource "*": administrator-equivalent',
    ]);
    expect(asObject.map((f) => f.summary)).toEqual(asText.map((f) => f.summary));
  });

  it('s3-bucket-policy-change reads a bucket policy as an object and as a JSON string', async () => {
    const policy = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] };
    const put = (bucketPolicy: unknown) => ({
      eventSource: 's3.amazonaws.com',
      eventName: 'PutBucketPolicy',
      requestParameters: { bucketName: 'exports', bucketPolicy },
    });

    const asObject = await findings('s3-bucket-policy-change', [put(policy)]);
    const asText = await findings('s3-bucket-policy-change', [put(JSON.stringify(policy))]);

    expect(asObject.map((f) => f.summary)).toEqual(['PutBucketPolicy on bucket exports (grants public access)']);
    expect(asText.map((f) => f.summary)).toEqual(asObject.map((f) => f.summary));
  });

  it('a requestParameters that is not JSON text leaves the rule running, not failing', async () => {
    // CloudTrail writes an object; a pipeline that truncated or re-encoded it leaves text that is not JSON.
    const result = await findings('iam-critical-change', [
      { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', requestParameters: '{"userName": "trunc' },
    ]);

    expect(result.map((f) => f.summary)).toEqual(['CreateUser']);
  });
});

describe('CIS 4.5 and 4.9 events kept for review', () => {
  it('trail-tampering keeps CreateTrail and StartLogging as low-risk review findings, StopLogging as an alert', async () => {
    const call = (eventName: string) => ({
      eventSource: 'cloudtrail.amazonaws.com',
      eventName,
      requestParameters: { name: 'org-trail' },
    });

    const result = await findings('trail-tampering', ['CreateTrail', 'StartLogging', 'StopLogging'].map(call));

    expect(result.map((f) => [f.eventName, f.tier, f.risk])).toEqual([
      ['CreateTrail', 'review', 'low'],
      ['StartLogging', 'review', 'low'],
      ['StopLogging', 'alert', 'high'],
    ]);
  });

  it('config-change keeps every PutConfigurationRecorder, low when it still records everything', async () => {
    const put = (allSupported: boolean) => ({
      eventSource: 'config.amazonaws.com',
      eventName: 'PutConfigurationRecorder',
      requestParameters: { configurationRecorder: { name: 'default', recordingGroup: { allSupported } } },
    });

    const result = await findings('config-change', [put(true), put(false)]);

    expect(result.map((f) => [f.risk, f.summary])).toEqual([
      ['low', 'PutConfigurationRecorder default'],
      ['medium', 'PutConfigurationRecorder default (records only chosen resource types)'],
    ]);
  });
});
