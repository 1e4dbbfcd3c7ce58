-- sqs-permission-change: queues created or deleted, their access policy changed, or their messages purged.
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
  eventname || ' on queue '
    || coalesce(json_extract_scalar(requestparameters, '$.queueUrl'),
                json_extract_scalar(requestparameters, '$.queueName'), '(unnamed)')
    || CASE
         WHEN json_extract_scalar(requestparameters, '$.attributes.Policy') IS NULL THEN ''
         WHEN regexp_like(json_extract_scalar(requestparameters, '$.attributes.Policy'),
                          '"Principal"\s*:\s*(\{\s*"AWS"\s*:\s*)?(\[\s*)?"\*"')
           THEN ' (access policy set, grants Principal *)'
         ELSE ' (access policy set)'
       END
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  CAST(NULL AS varchar) AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND eventsource = 'sqs.amazonaws.com'
  AND (
    eventname IN ('CreateQueue', 'DeleteQueue', 'AddPermission', 'RemovePermission', 'PurgeQueue')
    -- SetQueueAttributes is mostly tuning (visibility timeout, retention); only a new access policy
    -- changes who can send or read messages. CloudTrail writes the policy as a JSON string, some log
    -- pipelines as an object: json_extract finds either (json_extract_scalar would miss the object).
    OR (
      eventname = 'SetQueueAttributes'
      AND json_extract(requestparameters, '$.attributes.Policy') IS NOT NULL
    )
  )
