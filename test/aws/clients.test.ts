import { ListTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsSection, createClientFactory } from '../../src/aws/clients.js';
import { classifyAwsError, cleanAwsMessage } from '../../src/aws/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { fakeAccountId, generateOrg } from '../../tools/fake-aws/index.js';
import { fakeDeps } from '../integration/fake-aws/deps.js';
import { fakeAwsPerTest } from '../integration/fake-aws/per-test.js';

const start = fakeAwsPerTest();

function aws(section: Record<string, unknown>) {
  return awsSection(parseConfig({ aws: section }));
}

describe('createClientFactory', () => {
  it('assumes the audit role with the ExternalId and the trailwatch session name, once for all clients', async () => {
    const org = generateOrg(2);
    org.externalId = 'ext-123';
    const endpoint = await start(org);
    const clients = createClientFactory(aws({ externalId: 'ext-123' }), fakeDeps(endpoint)).forAccount(
      fakeAccountId(1),
    );
    await clients.ec2('us-east-1').send(new DescribeRegionsCommand({}));
    await clients.ec2('eu-west-1').send(new DescribeRegionsCommand({}));
    clients.destroy();
    expect(endpoint.assumeRoles).toEqual([
      {
        roleArn: `arn:aws:iam::${fakeAccountId(1)}:role/TrailwatchAudit`,
        sessionName: 'trailwatch',
        externalId: 'ext-123',
        callerKind: 'runner',
        outcome: 'issued',
      },
    ]);
  });

  it("signs each account's calls with that account's own credentials, and closing one account's clients leaves the others' calls running", async () => {
    // Each member account owns a trail named after it: ListTrails answers with the trails of whoever signed.
    const org = generateOrg(9);
    const members = org.accounts.slice(1);
    for (const account of members) {
      account.trails = [
        {
          name: `own-${account.id}`,
          homeRegion: 'us-east-1',
          isMultiRegion: false,
          s3BucketName: `logs-${account.id}`,
          logFileValidation: true,
          isLogging: true,
        },
      ];
    }
    const slow = members[0]!.id;
    const endpoint = await start(org, {
      latencyMs: 20,
      // One account's call is still in flight when every other account is done and has closed its clients.
      faults: [{ kind: 'slow', accountId: slow, operation: 'ListTrails', delayMs: 500 }],
    });
    // One attempt: a call cut off by another account's close would fail, not be retried away.
    const factory = createClientFactory(aws({}), fakeDeps(endpoint, 1));
    const closed: string[] = [];
    const trails = await Promise.all(
      members.map(async ({ id }) => {
        const clients = factory.forAccount(id);
        try {
          const [, listed] = await Promise.all([
            clients.ec2('us-east-1').send(new DescribeRegionsCommand({})),
            clients.cloudTrail('us-east-1').send(new ListTrailsCommand({})),
          ]);
          return [id, (listed.Trails ?? []).map((t) => t.Name).filter((n) => n?.startsWith('own-'))];
        } finally {
          clients.destroy();
          closed.push(id);
        }
      }),
    );
    expect(Object.fromEntries(trails)).toEqual(
      Object.fromEntries(members.map(({ id }) => [id, [`own-${id}`]])),
    );
    // One AssumeRole, one DescribeRegions and one ListTrails per account, each counted for its own account.
    expect(Object.fromEntries(endpoint.stats.byAccount)).toEqual(
      Object.fromEntries(members.map(({ id }) => [id, 3])),
    );
    expect(new Set(endpoint.issued.map((c) => c.accessKeyId)).size).toBe(members.length);
    expect(closed.at(-1)).toBe(slow);
  });

  it('is denied without the right ExternalId', async () => {
    const org = generateOrg(2);
    org.externalId = 'ext-123';
    const endpoint = await start(org);
    const clients = createClientFactory(aws({ externalId: 'wrong' }), fakeDeps(endpoint)).forAccount(
      fakeAccountId(1),
    );
    const error = await clients.credentials().catch((e: unknown) => e);
    clients.destroy();
    expect(classifyAwsError(error, 'assume-role').code).toBe('assume-role-denied');
  });

  it('chains through the hub role when one is configured, and the audit role trusts only the hub', async () => {
    const org = generateOrg(3);
    org.hubRoleArn = 'arn:aws:iam::999999999999:role/TrailwatchHub';
    const endpoint = await start(org);
    const factory = createClientFactory(aws({ hubRoleArn: org.hubRoleArn }), fakeDeps(endpoint));
    for (const id of [fakeAccountId(1), fakeAccountId(2)]) {
      const clients = factory.forAccount(id);
      await clients.ec2('us-east-1').send(new DescribeRegionsCommand({}));
      clients.destroy();
    }
    expect(endpoint.assumeRoles.map((r) => [r.roleArn.split(':')[4], r.callerKind, r.outcome])).toEqual([
      ['999999999999', 'runner', 'issued'],
      [fakeAccountId(1), 'hub', 'issued'],
      [fakeAccountId(2), 'hub', 'issued'],
    ]);
    // Without the hub, the runner is not trusted by the audit role.
    const direct = createClientFactory(aws({}), fakeDeps(endpoint)).forAccount(fakeAccountId(1));
    await expect(direct.credentials()).rejects.toMatchObject({ name: 'AccessDenied' });
    direct.destroy();
  });

  it('refreshes short-lived credentials through the SDK instead of reusing an expiring token', async () => {
    // Credentials within five minutes of expiry are refreshed by the SDK before the next call.
    const endpoint = await start(generateOrg(2), { credentialLifetimeSeconds: 60 });
    const clients = createClientFactory(aws({}), fakeDeps(endpoint)).forAccount(fakeAccountId(1));
    await clients.ec2('us-east-1').send(new DescribeRegionsCommand({}));
    await clients.ec2('us-east-1').send(new DescribeRegionsCommand({}));
    clients.destroy();
    expect(endpoint.assumeRoles.filter((r) => r.outcome === 'issued').length).toBeGreaterThanOrEqual(2);
  });

  it('retries a throttled call and gives up after the configured attempts', async () => {
    const endpoint = await start(generateOrg(2), {
      faults: [{ kind: 'throttle', accountId: fakeAccountId(1), operation: 'DescribeRegions' }],
    });
    const clients = createClientFactory(aws({}), fakeDeps(endpoint, 3)).forAccount(fakeAccountId(1));
    const error = await clients
      .ec2('us-east-1')
      .send(new DescribeRegionsCommand({}))
      .catch((e: unknown) => e);
    clients.destroy();
    expect(classifyAwsError(error, 'call').code).toBe('throttled');
    expect(endpoint.stats.byOperation.get('DescribeRegions')).toBe(3);
  });
});

describe('classifyAwsError', () => {
  it('gives stable codes for the failures an account can meet', () => {
    const err = (name: string, message = 'x', status?: number) =>
      Object.assign(new Error(message), {
        name,
        ...(status ? { $metadata: { httpStatusCode: status } } : {}),
      });
    expect(classifyAwsError(err('AccessDenied'), 'assume-role').code).toBe('assume-role-denied');
    expect(classifyAwsError(err('AccessDeniedException'), 'call').code).toBe('access-denied');
    expect(classifyAwsError(err('ThrottlingException'), 'call').code).toBe('throttled');
    expect(classifyAwsError(err('RequestLimitExceeded'), 'call').code).toBe('throttled');
    expect(classifyAwsError(err('TimeoutError'), 'call').code).toBe('call-timeout');
    expect(classifyAwsError(err('InternalFailure', 'boom', 500), 'call').code).toBe('service-unavailable');
    expect(classifyAwsError(err('SomethingElse', 'odd', 400), 'call').code).toBe('aws-error');
  });

  it('removes session ARNs and credential-looking strings from messages', () => {
    const message =
      'User: arn:aws:sts::123456789012:assumed-role/TrailwatchHub/trailwatch is not authorized (key ASIAABCDEFGHIJKLMNOP)';
    expect(cleanAwsMessage(message)).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/[session] is not authorized (key [redacted])',
    );
  });
});
