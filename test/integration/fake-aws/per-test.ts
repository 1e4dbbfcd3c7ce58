// A fake AWS endpoint per test: each test starts its own (with its own org and faults), closed after it.
import { afterEach } from 'vitest';
import {
  generateOrg,
  startFakeAws,
  type FakeAws,
  type FakeAwsOptions,
  type FakeOrg,
} from '../../../tools/fake-aws/index.js';

/** Registers the closing hook and returns `start(org, options)`; the default org has two accounts. */
export function fakeAwsPerTest(): (org?: FakeOrg, options?: FakeAwsOptions) => Promise<FakeAws> {
  let fake: FakeAws | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  return async (org = generateOrg(2), options = {}) => {
    fake = await startFakeAws(org, options);
    return fake;
  };
}
