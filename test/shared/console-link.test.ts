import { describe, expect, it } from 'vitest';
import { cloudTrailEventUrl } from '../../src/shared/console-link.js';

describe('cloudTrailEventUrl', () => {
  it('links an event in its region, in the partition of the region', () => {
    expect(cloudTrailEventUrl('eu-west-1', 'e0000000-0000-4000-8000-000000000001')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/events/e0000000-0000-4000-8000-000000000001',
    );
    expect(cloudTrailEventUrl('cn-north-1', 'abc')).toBe(
      'https://console.amazonaws.cn/cloudtrail/home?region=cn-north-1#/events/abc',
    );
    expect(cloudTrailEventUrl('us-gov-west-1', 'abc')).toBe(
      'https://console.amazonaws-us-gov.com/cloudtrail/home?region=us-gov-west-1#/events/abc',
    );
  });

  it('percent-encodes a hostile event id so it stays inside the fragment', () => {
    const url = cloudTrailEventUrl('us-east-1', '"><script>x</script>#/../@evil.example?a=b&c');
    expect(url).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/%22%3E%3Cscript%3Ex%3C%2Fscript%3E%23%2F..%2F%40evil.example%3Fa%3Db%26c',
    );
    expect(new URL(url ?? '').host).toBe('us-east-1.console.aws.amazon.com');
  });

  it('gives no link for a region that is not an AWS region name, or without an event id', () => {
    for (const region of [
      'evil.example/x',
      'us-east-1.evil.example',
      'us-east-1\u202e',
      'US-EAST-1',
      '',
      'us-east-1/',
    ]) {
      expect(cloudTrailEventUrl(region, 'abc'), region).toBeNull();
    }
    expect(cloudTrailEventUrl(null, 'abc')).toBeNull();
    expect(cloudTrailEventUrl('us-east-1', null)).toBeNull();
    expect(cloudTrailEventUrl('us-east-1', 'x'.repeat(257))).toBeNull();
  });
});
