import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  awsSection,
  clientsFor,
  createClientFactory,
  homeRegion,
  resolveAwsRegion,
} from '../../src/aws/clients.js';
import { parseConfig } from '../../src/config/load.js';
import { discoverAccounts } from '../../src/discover/accounts.js';
import { ConfigError } from '../../src/shared/errors.js';
import { silentLogger } from '../../src/shared/log.js';
import { FAKE_RUNNER_CREDENTIALS, generateOrg, startFakeAws } from '../../tools/fake-aws/index.js';

// The regions the pinned SDK's partition table lists, by partition (its `-global` endpoint pseudo-regions
// aside: they are not regions one runs in).
async function sdkRegions(): Promise<[string, string][]> {
  const file = join(
    'node_modules',
    '@aws-sdk',
    'core',
    'dist-es',
    'submodules',
    'client',
    'util-endpoints',
    'lib',
    'aws',
    'partitions.js',
  );
  const text = (await readFile(file, 'utf8'))
    .replace(/^export const partitionsInfo = /, '')
    .replace(/;\s*$/, '');
  const info = JSON.parse(text) as { partitions: { id: string; regions: Record<string, unknown> }[] };
  return info.partitions.flatMap((p) =>
    Object.keys(p.regions)
      .filter((r) => !r.endsWith('-global'))
      .map((r): [string, string] => [r, p.id]),
  );
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailwatch-aws-settings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** An environment with nothing from the machine's own AWS settings: only what the test gives. */
async function isolated(configText: string, name: string): Promise<void> {
  const configFile = join(dir, `${name}.config`);
  await writeFile(configFile, configText);
  vi.stubEnv('AWS_CONFIG_FILE', configFile);
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'no-credentials'));
  vi.stubEnv('AWS_REGION', undefined);
  vi.stubEnv('AWS_DEFAULT_REGION', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
}

describe('regions and partitions, as the SDK knows them', () => {
  it('accepts every region of every partition the SDK knows, in the config', async () => {
    const regions = await sdkRegions();
    expect(regions.map(([r]) => r)).toEqual(expect.arrayContaining(['eusc-de-east-1', 'us-isob-east-1']));
    const refused = regions.filter(([r]) => {
      try {
        parseConfig({ aws: { region: r, regions: [r] }, approvedRegions: [r] });
        return false;
      } catch (error) {
        if (error instanceof ConfigError) return true;
        throw error;
      }
    });
    expect(refused).toEqual([]);
  });

  it('still refuses what is not a region name', () => {
    for (const bad of ['Europe', 'eu-west', 'EU-WEST-1', 'eu_west_1', 'us-east-1a']) {
      expect(() => parseConfig({ aws: { region: bad } }), bad).toThrow(ConfigError);
    }
  });

  it('takes the partition of the audit role ARN from the SDK, for every partition', async () => {
    for (const [region, partition] of await sdkRegions()) {
      const factory = createClientFactory(awsSection(parseConfig({ aws: { region } })));
      expect(factory.partition, region).toBe(partition);
    }
    const named = (region: string) =>
      createClientFactory(awsSection(parseConfig({ aws: { region } }))).partition;
    expect(named('us-isob-east-1')).toBe('aws-iso-b');
    expect(named('eusc-de-east-1')).toBe('aws-eusc');
    expect(named('cn-north-1')).toBe('aws-cn');
    expect(named('us-gov-west-1')).toBe('aws-us-gov');
    expect(named('eu-west-1')).toBe('aws');
  });
});

describe('resolveAwsRegion: the region the way AWS users expect', () => {
  it('lets aws.region in the config win over AWS_REGION', async () => {
    await isolated('', 'wins');
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    const config = await resolveAwsRegion(parseConfig({ aws: { region: 'ap-south-1' } }));
    expect(homeRegion(awsSection(config))).toBe('ap-south-1');
  });

  it('takes AWS_REGION when the config names no region', async () => {
    await isolated('', 'env');
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    const config = await resolveAwsRegion(parseConfig({ aws: {} }));
    expect(config.aws?.region).toBe('eu-central-1');
  });

  it("takes the AWS_PROFILE profile's region, an SSO profile's included", async () => {
    await isolated(
      [
        '[profile audit]',
        'region = ap-southeast-2',
        '',
        '[profile sso-audit]',
        'sso_session = corp',
        'sso_account_id = 123456789012',
        'sso_role_name = TrailwatchRunner',
        'region = eu-north-1',
        '',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = eu-west-1',
        '',
      ].join('\n'),
      'profiles',
    );
    vi.stubEnv('AWS_PROFILE', 'audit');
    expect((await resolveAwsRegion(parseConfig({ aws: {} }))).aws?.region).toBe('ap-southeast-2');
    vi.stubEnv('AWS_PROFILE', 'sso-audit');
    expect((await resolveAwsRegion(parseConfig({ aws: {} }))).aws?.region).toBe('eu-north-1');
  });

  it('falls back to us-east-1 when nothing names a region, and leaves a config without aws alone', async () => {
    await isolated('', 'none');
    const config = await resolveAwsRegion(parseConfig({ aws: {} }));
    expect(config.aws?.region).toBe('us-east-1');
    const noAws = parseConfig({});
    expect(await resolveAwsRegion(noAws)).toBe(noAws);
  });

  it('reaches the endpoint AWS_ENDPOINT_URL names when none is given, the audit role chain included', async () => {
    await isolated('', 'endpoint');
    const fake = await startFakeAws(generateOrg(3));
    try {
      vi.stubEnv('AWS_ENDPOINT_URL', fake.endpoint);
      const config = await resolveAwsRegion(
        parseConfig({ aws: { managementAccountId: generateOrg(1).managementAccountId } }),
      );
      const found = await discoverAccounts(
        config,
        clientsFor(config, { credentials: FAKE_RUNNER_CREDENTIALS }),
        silentLogger,
      );
      expect(found.errors).toEqual([]);
      expect(found.accounts).toHaveLength(3);
      // Organizations was read through the management account's audit role: STS went to the fake too.
      expect(fake.assumeRoles.map((r) => r.outcome)).toEqual(['issued']);
    } finally {
      await fake.close();
    }
  });
});
