import { describe, expect, it } from 'vitest';
import { partitionOf, regionsOfPartition } from '../../src/aws/regions.js';

describe('regionsOfPartition (from the SDK endpoint data)', () => {
  it('lists the opt-in regions of the aws partition as well as the default ones', () => {
    const regions = regionsOfPartition('aws');
    for (const r of ['us-east-1', 'eu-west-1', 'ap-east-1', 'me-south-1', 'af-south-1', 'il-central-1']) {
      expect(regions).toContain(r);
    }
    expect(regions.length).toBeGreaterThan(30);
    expect(regions).toEqual([...regions].sort());
  });

  it('leaves out pseudo regions and regions of other partitions', () => {
    const regions = regionsOfPartition('aws');
    expect(regions).not.toContain('aws-global');
    expect(regions.some((r) => r.startsWith('cn-') || r.startsWith('us-gov-'))).toBe(false);
    expect(regionsOfPartition('aws-cn')).toEqual(['cn-north-1', 'cn-northwest-1']);
  });

  it('agrees with the SDK’s own per-region lookup for every region it lists', () => {
    for (const id of ['aws', 'aws-cn', 'aws-us-gov']) {
      for (const region of regionsOfPartition(id)) expect(partitionOf(region), region).toBe(id);
    }
  });

  it('refuses a partition the SDK does not know', () => {
    expect(() => regionsOfPartition('aws-moon')).toThrow(/no partition aws-moon/);
  });
});
