// A link to one event in the CloudTrail console. The region and event id come from the log, so both are
// attacker-controlled: the region must look like an AWS region (it picks the host name) and the event id is
// percent-encoded into the fragment, so neither can steer the link to another host or inject markup.

/** An AWS region name: partition prefix, area and number (us-east-1, eu-central-2, us-gov-west-1, cn-north-1). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The CloudTrail console's address for one event, or null when the region or event id is missing or not plausible. */
export function cloudTrailEventUrl(region: string | null, eventId: string | null): string | null {
  if (!region || !eventId || !REGION.test(region) || eventId.length > 256) return null;
  // The China and GovCloud partitions have consoles of their own, chosen by the region parameter.
  const host = region.startsWith('cn-')
    ? 'console.amazonaws.cn'
    : region.startsWith('us-gov-')
      ? 'console.amazonaws-us-gov.com'
      : `${region}.console.aws.amazon.com`;
  return `https://${host}/cloudtrail/home?region=${region}#/events/${encodeURIComponent(eventId)}`;
}
