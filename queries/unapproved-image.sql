-- unapproved-image: instances launched from an image outside the approved list.
-- Binds: window start, window end, approved images (comma-separated).
SELECT
  eventid AS event_id,
  eventtime AS event_time,
  -- recipientAccountId is absent on some events; the account of the log file's path is then the one.
  coalesce(recipientaccountid, account) AS account_id,
  awsregion AS region,
  eventsource AS event_source,
  eventname AS event_name,
  coalesce(useridentity.arn, useridentity.principalid, useridentity.invokedby) AS principal,
  sourceipaddress AS source_ip,
  useragent AS user_agent,
  errorcode AS error_code,
  'RunInstances from unapproved image ' || json_extract_scalar(requestparameters, '$.instancesSet.items[0].imageId')
    || coalesce(' (' || json_extract_scalar(requestparameters, '$.instanceType') || ')', '')
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  CAST(NULL AS varchar) AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname = 'RunInstances'
  -- A launch from a launch template alone carries no imageId in the request (the image is in the template),
  -- so there is nothing to compare; such launches are not flagged.
  AND json_extract_scalar(requestparameters, '$.instancesSet.items[0].imageId') IS NOT NULL
  AND NOT contains(split(?, ','), json_extract_scalar(requestparameters, '$.instancesSet.items[0].imageId'))
