-- trail-tampering: CloudTrail logging stopped, deleted, or reduced; and, as CIS 4.5 asks, every other trail
-- configuration change (a trail created, logging started) for review at low risk.
-- Binds: window start, window end.
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
  eventname || ' on trail ' || coalesce(json_extract_scalar(requestparameters, '$.name'),
    json_extract_scalar(requestparameters, '$.trailName'), '(unnamed)')
    || CASE WHEN eventname IN ('CreateTrail', 'StartLogging') THEN ' (logging added or resumed)' ELSE '' END
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  -- Turning logging on blinds nothing: kept for review, not raised as an alert.
  CASE WHEN eventname IN ('CreateTrail', 'StartLogging') THEN 'low' END AS risk,
  CASE WHEN eventname IN ('CreateTrail', 'StartLogging') THEN 'review' END AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND eventsource = 'cloudtrail.amazonaws.com'
  AND (
    eventname IN ('StopLogging', 'DeleteTrail', 'DeleteEventDataStore', 'StopEventDataStoreIngestion')
    -- A new trail or restarted logging changes the trail configuration too (CIS 4.5 counts them).
    OR eventname IN ('CreateTrail', 'StartLogging')
    -- UpdateTrail can redirect logs to another bucket or turn off multi-region and global events.
    OR eventname = 'UpdateTrail'
    -- Selector changes that reduce logging: management events off, write-only excluded, or
    -- advanced selectors that no longer select the Management category.
    OR (
      eventname = 'PutEventSelectors'
      AND (
        json_extract_scalar(requestparameters, '$.eventSelectors[0].includeManagementEvents') = 'false'
        OR json_extract_scalar(requestparameters, '$.eventSelectors[0].readWriteType') = 'ReadOnly'
        OR (
          json_extract_scalar(requestparameters, '$.advancedEventSelectors[0].name') IS NOT NULL
          AND NOT regexp_like(json_format(json_extract(requestparameters, '$.advancedEventSelectors')), '"Management"')
        )
        OR regexp_like(json_format(json_extract(requestparameters, '$.eventSelectors')), '"excludeManagementEventSources":\[[^\]]+\]')
      )
    )
    -- Turning Insights off removes the anomaly signal an attacker would trigger.
    OR (
      eventname = 'PutInsightSelectors'
      AND json_extract_scalar(requestparameters, '$.insightSelectors[0].insightType') IS NULL
    )
  )
