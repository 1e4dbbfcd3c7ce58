// AwsDeps that point the real SDK clients at a fake endpoint, with fast retries.
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import type { AwsDeps } from '../../../src/aws/clients.js';
import { FAKE_RUNNER_CREDENTIALS, type FakeAws } from '../../../tools/fake-aws/index.js';

/** Deps for `fake`: its endpoint, the runner's static credentials, 4 attempts 10 ms apart. */
export function fakeDeps(fake: FakeAws, attempts = 4): AwsDeps {
  return {
    endpoint: fake.endpoint,
    credentials: FAKE_RUNNER_CREDENTIALS,
    retryStrategy: new ConfiguredRetryStrategy(attempts, () => 10),
  };
}
