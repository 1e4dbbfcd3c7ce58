// AwsDeps that point the real SDK clients at a fake endpoint, with fast retries.
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { clientsFor, type AwsDeps, type ClientFactory } from '../../../src/aws/clients.js';
import type { Config } from '../../../src/config/schema.js';
import { FAKE_RUNNER_CREDENTIALS, type FakeAws } from '../../../tools/fake-aws/index.js';

/** Deps for `fake`: its endpoint, the runner's static credentials, 4 attempts 10 ms apart. */
export function fakeDeps(fake: FakeAws, attempts = 4): AwsDeps {
  return {
    endpoint: fake.endpoint,
    credentials: FAKE_RUNNER_CREDENTIALS,
    retryStrategy: new ConfiguredRetryStrategy(attempts, () => 10),
  };
}

/** The client factory a run of `config` builds (clientsFor), pointed at `fake`: what a stage's test passes it. */
export function fakeClients(config: Pick<Config, 'aws'>, fake: FakeAws, attempts = 4): ClientFactory {
  return clientsFor(config, fakeDeps(fake, attempts));
}
