// What a trail's configuration and status say: whether its selectors record management writes (or only
// data events), and why a logging trail is not delivering.
import type { AdvancedEventSelectorRecord, TrailRecord } from './snapshot.js';

function advancedRecordsManagementWrites(selector: AdvancedEventSelectorRecord): boolean {
  const field = (name: string) => selector.fieldSelectors.find((f) => f.field === name);
  const category = field('eventCategory');
  if (!category?.equals?.includes('Management')) return false;
  const readOnly = field('readOnly');
  // readOnly = true (or != false) keeps only read events: writes are excluded.
  if (readOnly?.equals?.includes('true') || readOnly?.notEquals?.includes('false')) return false;
  // Only named event sources: the rest of the management events are not recorded. (Excluding a few noisy
  // sources with NotEquals, e.g. KMS, keeps the rest and still counts.)
  const source = field('eventSource');
  if (source?.equals?.length || source?.startsWith?.length || source?.endsWith?.length) return false;
  return true;
}

/**
 * Whether a trail's selectors record management write events; null when the selectors could not be read.
 * Without selectors of either kind, CloudTrail records all management events (its default selector).
 */
export function recordsManagementWrites(trail: TrailRecord): boolean | null {
  if (trail.eventSelectors === null && trail.advancedEventSelectors === null) return null;
  const advanced = trail.advancedEventSelectors ?? [];
  if (advanced.length > 0) return advanced.some(advancedRecordsManagementWrites);
  const basic = trail.eventSelectors ?? [];
  if (basic.length === 0) return true;
  return basic.some((s) => s.includeManagementEvents !== false && s.readWriteType !== 'ReadOnly');
}

/**
 * Whether a trail records no management events at all — a data-events trail, kept deliberately beside a
 * trail that records management events. Null when the selectors could not be read.
 */
export function recordsDataEventsOnly(trail: TrailRecord): boolean | null {
  if (trail.eventSelectors === null && trail.advancedEventSelectors === null) return null;
  const advanced = trail.advancedEventSelectors ?? [];
  if (advanced.length > 0) {
    return !advanced.some((s) =>
      s.fieldSelectors.some((f) => f.field === 'eventCategory' && f.equals?.includes('Management')),
    );
  }
  const basic = trail.eventSelectors ?? [];
  return basic.length > 0 && basic.every((s) => s.includeManagementEvents === false);
}

/** Why a logging trail is not delivering, or null when it is. */
export function deliveryProblem(trail: TrailRecord, now: Date, deliveryLagHours: number): string | null {
  const status = trail.status;
  if (!status?.isLogging) return null;
  if (status.latestDeliveryError) return `latest delivery error: ${status.latestDeliveryError}`;
  const lagMs = deliveryLagHours * 3_600_000;
  if (status.latestDeliveryTime) {
    const age = now.getTime() - Date.parse(status.latestDeliveryTime);
    if (age > lagMs) return `no log file delivered for ${Math.floor(age / 3_600_000)} hours`;
    return null;
  }
  // A trail started within the lag has had no chance to deliver yet.
  if (status.startLoggingTime && now.getTime() - Date.parse(status.startLoggingTime) <= lagMs) return null;
  return 'no log file delivery recorded';
}
