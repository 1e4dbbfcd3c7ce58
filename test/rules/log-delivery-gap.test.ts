// log-delivery-gap beyond match / no-match: which event a finding names and what it says. The query sorts
// each account-region's events by eventTime once and finds the last event with a join, so the choice among
// events sharing the last eventTime (the greatest eventID, one without an eventID last) and the hours in
// the summary are pinned here.
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { runTestCase } from '../../src/rules/test-cases.js';

const rule = (await loadRules()).find((r) => r.id === 'log-delivery-gap')!;

const ACCOUNT = '111122223333';
const OTHER = '444444444444';
const at = (time: string, fields: Record<string, unknown> = {}) => ({
  eventTime: time,
  recipientAccountId: ACCOUNT,
  awsRegion: 'us-east-1',
  ...fields,
});

describe('log-delivery-gap', () => {
  it('names the last event of the silent account-region: of several at that time, the greatest eventID', async () => {
    const result = await runTestCase(rule, {
      name: 'ties at the last eventTime',
      expect: 'match',
      events: [
        at('2026-11-20T01:00:00Z'),
        at('2026-11-20T02:00:00Z'),
        at('2026-11-20T03:00:00Z', { eventID: 'bbbbbbbb-0000-4000-8000-000000000002', eventName: 'Middle' }),
        at('2026-11-20T03:00:00Z', { eventID: 'cccccccc-0000-4000-8000-000000000003', eventName: 'Greatest' }),
        at('2026-11-20T03:00:00Z', { eventID: 'aaaaaaaa-0000-4000-8000-000000000001', eventName: 'Least' }),
        at('2026-11-20T00:30:00Z', { recipientAccountId: OTHER, awsRegion: 'eu-west-1' }),
        at('2026-11-20T12:30:00Z', { recipientAccountId: OTHER, awsRegion: 'eu-west-1' }),
      ],
    });
    expect(result.error).toBeUndefined();
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({
      eventId: 'cccccccc-0000-4000-8000-000000000003',
      eventTime: '2026-11-20T03:00:00Z',
      accountId: ACCOUNT,
      region: 'us-east-1',
      eventName: 'Greatest',
      summary: `no events from ${ACCOUNT}/us-east-1 since 2026-11-20T03:00:00Z, 9.5 h before the latest event in the window`,
    });
    expect(finding!.eventIds).toEqual(['cccccccc-0000-4000-8000-000000000003']);
  });

  it('names an event with an eventID, even an empty one, before one without, in either order', async () => {
    for (const order of [0, 1]) {
      const tied = [
        at('2026-11-20T03:00:00Z', { eventID: null, eventName: 'WithoutId' }),
        at('2026-11-20T03:00:00Z', { eventID: '', eventName: 'EmptyId' }),
      ];
      const result = await runTestCase(rule, {
        name: `an empty and a missing eventID tied, order ${order}`,
        expect: 'match',
        events: [
          at('2026-11-20T01:00:00Z'),
          ...(order === 0 ? tied : tied.reverse()),
          at('2026-11-20T12:30:00Z', { recipientAccountId: OTHER }),
        ],
      });
      expect(result.error).toBeUndefined();
      expect(result.findings.map((f) => f.eventName)).toEqual(['EmptyId']);
    }
  });

  it('weighs a silence against the longest earlier one of the same account-region only', async () => {
    // us-east-1 was quiet for 8 h earlier, so 7 h of trailing silence is its usual rhythm; eu-west-1 logged
    // every hour, so its 7 h silence is reported.
    const events = [
      at('2026-11-20T00:00:00Z'),
      at('2026-11-20T08:00:00Z'),
      at('2026-11-20T09:00:00Z'),
      ...Array.from({ length: 10 }, (_, h) =>
        at(`2026-11-20T${String(h).padStart(2, '0')}:10:00Z`, { awsRegion: 'eu-west-1' }),
      ),
      at('2026-11-20T16:00:00Z', { recipientAccountId: OTHER }),
    ];
    const result = await runTestCase(rule, { name: 'rhythm', expect: 'match', events });
    expect(result.error).toBeUndefined();
    expect(result.findings.map((f) => `${f.accountId}/${f.region} ${f.eventTime}`)).toEqual([
      `${ACCOUNT}/eu-west-1 2026-11-20T09:10:00Z`,
    ]);
  });
});
