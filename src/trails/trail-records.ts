// CloudTrail's answers (Trail, EventSelector, AdvancedEventSelector) as the snapshot's records: every
// optional field AWS may leave out becomes an explicit null or empty list.
import type { AdvancedEventSelector, EventSelector, Trail } from '@aws-sdk/client-cloudtrail';
import type { AdvancedEventSelectorRecord, EventSelectorRecord, TrailRecord } from './snapshot.js';

export function iso(date: Date | undefined): string | null {
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

function ownerOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}

export function toTrailRecord(trail: Trail, arn: string, homeRegion: string): TrailRecord {
  return {
    arn,
    name: trail.Name ?? arn.split('/').pop() ?? arn,
    ownerAccountId: ownerOf(arn),
    homeRegion: trail.HomeRegion ?? homeRegion,
    isMultiRegion: trail.IsMultiRegionTrail ?? false,
    isOrganizationTrail: trail.IsOrganizationTrail ?? false,
    includeGlobalServiceEvents: trail.IncludeGlobalServiceEvents ?? false,
    s3BucketName: trail.S3BucketName ?? null,
    kmsKeyId: trail.KmsKeyId ?? null,
    logFileValidationEnabled: trail.LogFileValidationEnabled ?? false,
    status: null,
    eventSelectors: null,
    advancedEventSelectors: null,
    errors: [],
  };
}

export function toEventSelector(s: EventSelector): EventSelectorRecord {
  return {
    readWriteType: s.ReadWriteType ?? null,
    includeManagementEvents: s.IncludeManagementEvents ?? null,
    excludeManagementEventSources: s.ExcludeManagementEventSources ?? [],
    dataResourceTypes: (s.DataResources ?? []).flatMap((d) => (d.Type ? [d.Type] : [])),
  };
}

export function toAdvancedSelector(s: AdvancedEventSelector): AdvancedEventSelectorRecord {
  return {
    name: s.Name ?? null,
    fieldSelectors: (s.FieldSelectors ?? []).map((f) => ({
      field: f.Field ?? '',
      ...(f.Equals ? { equals: f.Equals } : {}),
      ...(f.NotEquals ? { notEquals: f.NotEquals } : {}),
      ...(f.StartsWith ? { startsWith: f.StartsWith } : {}),
      ...(f.NotStartsWith ? { notStartsWith: f.NotStartsWith } : {}),
      ...(f.EndsWith ? { endsWith: f.EndsWith } : {}),
      ...(f.NotEndsWith ? { notEndsWith: f.NotEndsWith } : {}),
    })),
  };
}
