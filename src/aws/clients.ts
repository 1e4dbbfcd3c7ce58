// The one place AWS clients are built. Everything that talks to AWS receives a ClientFactory made from the
// config's `aws` section and an AwsDeps (endpoint, runner credentials, retry strategy), so tests and the bench
// point the real SDK clients at the fake endpoint without patching globals.
import { AccountClient } from '@aws-sdk/client-account';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { GlueClient } from '@aws-sdk/client-glue';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { partition as sdkPartition } from '@aws-sdk/core/client';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { doesIdentityRequireRefresh, isIdentityExpired, memoizeIdentityProvider } from '@smithy/core';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';
import type { Config } from '../config/schema.js';
import { awsSchema } from '../config/schema.js';
import { sharedConnections, sharedSettings } from './connections.js';

/** The `aws` section of the configuration, with its defaults applied. */
export type AwsConfig = NonNullable<Config['aws']>;

/** The home region when neither the config nor the SDK's chain names one. */
export const DEFAULT_REGION = 'us-east-1';

/** What the client factory needs from outside the config; every field is optional in production. */
export interface AwsDeps {
  /** One endpoint for every service (the fake AWS); unset: AWS's own endpoints. */
  endpoint?: string;
  /** The runner's credentials; unset: the SDK's default chain (OIDC web identity in Actions, a profile locally). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Retry strategy; unset: the SDK's adaptive retry with `aws.maxAttempts`. */
  retryStrategy?: RetryStrategyV2;
}

/** The clients for one audited account, all signing with that account's audit-role credentials. */
export interface AccountClients {
  accountId: string;
  /** The audit role's credentials (auto-refreshing); resolving them performs the role chain. */
  credentials: AwsCredentialIdentityProvider;
  cloudTrail(region: string): CloudTrailClient;
  ec2(region: string): EC2Client;
  account(): AccountClient;
  /**
   * Closes every client made for this account, once the account is done; the connections they share with
   * the other accounts' clients are closed when the last account in flight is done.
   */
  destroy(): void;
}

/** Builds AWS clients: Organizations for discovery, and per-account clients through the role chain. */
export interface ClientFactory {
  /** The Organizations client: through the management account's audit role when configured, else the runner's (or hub's) credentials. */
  organizations(): OrganizationsClient;
  /** An Athena client for the query engine: the runner's (or hub's) credentials, never an audit role. */
  athena(region?: string): AthenaClient;
  /** A Glue client for the Athena tables' catalog: the runner's (or hub's) credentials, like Athena. */
  glue(region?: string): GlueClient;
  /** An SESv2 client for the digest email: the runner's (or hub's) credentials, never an audit role. */
  ses(region?: string): SESv2Client;
  /** An S3 client for the evidence bucket: the runner's (or hub's) credentials, never an audit role. */
  s3(region?: string): S3Client;
  forAccount(accountId: string): AccountClients;
  /** The partition of the ARNs built for role assumption. */
  partition: string;
}

/** The audit role's ARN in an account. */
export function auditRoleArn(aws: AwsConfig, accountId: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${aws.roleName}`;
}

/** Reads the config's aws section, applying defaults when the section is absent. */
export function awsSection(config: Pick<Config, 'aws'>): AwsConfig {
  return config.aws ?? awsSchema.parse({});
}

/** The home region of the AWS calls: `aws.region` (settled by resolveAwsRegion), else us-east-1. */
export function homeRegion(aws: AwsConfig): string {
  return aws.region ?? DEFAULT_REGION;
}

/** The region the SDK's own chain resolves (AWS_REGION, the AWS_PROFILE profile's region), if any. */
async function regionFromSdkChain(): Promise<string | undefined> {
  const probe = new OrganizationsClient({});
  try {
    return await probe.config.region();
  } catch {
    // "Region is missing": nothing in the environment or the profile names one.
    return undefined;
  } finally {
    probe.destroy();
  }
}

/**
 * Settles the config's home region the way AWS users expect: `aws.region` when set, else whatever the SDK's
 * chain resolves (AWS_REGION, the AWS_PROFILE profile's region — SSO profiles included), else us-east-1.
 * Credentials and AWS_ENDPOINT_URL are left to the SDK's chain as they are.
 */
export async function resolveAwsRegion<T extends Pick<Config, 'aws'>>(config: T): Promise<T> {
  if (!config.aws || config.aws.region) return config;
  return { ...config, aws: { ...config.aws, region: (await regionFromSdkChain()) ?? DEFAULT_REGION } };
}

/**
 * Memoizes a credential provider the way the SDK's clients do: the token is reused until five minutes before
 * it expires, then fetched again. This lets several clients of one account (regions, services) share one
 * AssumeRole; the SDK, not trailwatch, decides when to refresh. (`memoizeIdentityProvider` is what every v3
 * client applies to its `credentials`.)
 */
function shared(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  const memoized = memoizeIdentityProvider(provider, isIdentityExpired, doesIdentityRequireRefresh);
  if (!memoized) throw new Error('memoizeIdentityProvider returned nothing for a provider');
  return () => memoized();
}

/**
 * The one client factory of a run or command, from the config's aws section and the edge's deps. Built once
 * at the edge (startRun, the `athena` commands) and passed down, so the hub-role chain is built once; the
 * stages never build their own.
 */
export function clientsFor(config: Pick<Config, 'aws'>, deps: AwsDeps = {}): ClientFactory {
  return createClientFactory(awsSection(config), deps);
}

/** Creates a client factory from an aws section (clientsFor reads it from the config). */
export function createClientFactory(aws: AwsConfig, deps: AwsDeps = {}): ClientFactory {
  // The SDK's partition table knows every partition (aws-cn, aws-us-gov, aws-iso-b, aws-eusc…).
  const home = homeRegion(aws);
  const partition = sdkPartition(home).name;
  const requestTimeout = Math.round(aws.timeouts.callSeconds * 1000);
  const common = (region: string) => ({
    region,
    ...(deps.endpoint ? { endpoint: deps.endpoint } : {}),
    ...(deps.retryStrategy
      ? { retryStrategy: deps.retryStrategy }
      : { retryMode: 'adaptive' as const, maxAttempts: aws.maxAttempts }),
    // A hung connection must not hold an account: the socket times out per call, the account as a whole
    // has its own limit in the collector.
    requestHandler: { requestTimeout, connectionTimeout: requestTimeout, throwOnRequestTimeout: true },
  });
  const stsConfig = common(home);

  // Runner → optional hub role. Built once per run so every account's chain starts from the same hub session.
  const hub = aws.hubRoleArn
    ? shared(
        fromTemporaryCredentials({
          params: { RoleArn: aws.hubRoleArn, RoleSessionName: aws.sessionName },
          ...(deps.credentials ? { masterCredentials: deps.credentials } : {}),
          clientConfig: stsConfig,
        }),
      )
    : undefined;
  const source = hub ?? deps.credentials;

  // The accounts' clients share one pair of keep-alive agents, sized so that no call of the fan-out waits
  // for a socket: at most `global` accounts in flight, each with at most `perAccount` calls.
  const connections = sharedConnections({
    requestTimeout,
    maxSockets: aws.concurrency.global * aws.concurrency.perAccount,
  });
  const settings = sharedSettings();
  const perAccount = (region: string) => ({
    ...common(region),
    ...settings,
    requestHandler: connections.handler(),
  });

  // An audit role's credentials, through AssumeRole with the runner's (or hub's) credentials. `sts` gives the
  // STS client to call (made on first use): each account has its own, with its own adaptive retry rate, as
  // fromTemporaryCredentials would make; unlike fromTemporaryCredentials, it shares the accounts' connections
  // and is closed with the account's other clients.
  const auditCredentials = (accountId: string, sts: () => STSClient): AwsCredentialIdentityProvider =>
    shared(async () => {
      const roleArn = auditRoleArn(aws, accountId, partition);
      const { Credentials: c } = await sts().send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: aws.sessionName,
          ...(aws.externalId ? { ExternalId: aws.externalId } : {}),
        }),
      );
      if (!c?.AccessKeyId || !c.SecretAccessKey) {
        throw new Error(`Invalid response from STS AssumeRole for ${roleArn}: no credentials`);
      }
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        ...(c.Expiration ? { expiration: c.Expiration } : {}),
      };
    });
  const stsAs = (config: ReturnType<typeof common>) =>
    new STSClient({ ...config, ...(source ? { credentials: source } : {}) });

  // The central account's own services (Athena over the trail bucket's table, SES for the digest) are
  // called as the runner or hub: the per-account audit roles have no business there.
  const central = (region = home) => ({
    ...common(region),
    ...(source ? { credentials: source } : {}),
  });

  return {
    partition,
    organizations() {
      let sts: STSClient | undefined;
      const credentials = aws.managementAccountId
        ? auditCredentials(aws.managementAccountId, () => (sts ??= stsAs(common(home))))
        : source;
      return new OrganizationsClient({ ...common(home), ...(credentials ? { credentials } : {}) });
    },
    athena(region) {
      return new AthenaClient(central(region));
    },
    glue(region) {
      return new GlueClient(central(region));
    },
    ses(region) {
      return new SESv2Client(central(region));
    },
    s3(region) {
      return new S3Client({
        ...central(region),
        // A bucket in another region answers with a redirect the client follows; a test endpoint on an IP
        // address has no bucket host names, so requests name the bucket in the path there.
        followRegionRedirects: true,
        ...(deps.endpoint ? { forcePathStyle: true } : {}),
      });
    },
    forAccount(accountId) {
      const release = connections.acquire();
      const made: { destroy(): void }[] = [];
      let sts: STSClient | undefined;
      const cloudTrails = new Map<string, CloudTrailClient>();
      const ec2s = new Map<string, EC2Client>();
      let account: AccountClient | undefined;
      const keep = <C extends { destroy(): void }>(client: C): C => {
        made.push(client);
        return client;
      };
      const credentials = auditCredentials(accountId, () => (sts ??= keep(stsAs(perAccount(home)))));
      return {
        accountId,
        credentials,
        cloudTrail(region) {
          let client = cloudTrails.get(region);
          if (!client) {
            client = keep(new CloudTrailClient({ ...perAccount(region), credentials }));
            cloudTrails.set(region, client);
          }
          return client;
        },
        ec2(region) {
          let client = ec2s.get(region);
          if (!client) {
            client = keep(new EC2Client({ ...perAccount(region), credentials }));
            ec2s.set(region, client);
          }
          return client;
        },
        account() {
          // The Account API is global; its endpoint lives in us-east-1 (aws partition).
          account ??= keep(new AccountClient({ ...perAccount(home), credentials }));
          return account;
        },
        destroy() {
          // The clients' own state goes; the shared connections are closed when the last account is done.
          for (const client of made) client.destroy();
          made.length = 0;
          release();
        },
      };
    },
  };
}
