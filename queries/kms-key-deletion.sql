-- kms-key-deletion: a KMS key disabled or scheduled for deletion, or an attempt to do either.
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
  eventname || ' of KMS key ' || coalesce(json_extract_scalar(requestparameters, '$.keyId'), '(unnamed)')
    || CASE
         WHEN eventname = 'ScheduleKeyDeletion' AND errorcode IS NULL
           THEN ' (deletion in ' || coalesce(json_extract_scalar(requestparameters, '$.pendingWindowInDays'), '30')
             || ' days' || coalesce(', on ' || json_extract_scalar(responseelements, '$.deletionDate'), '')
             || '; CancelKeyDeletion can stop it until then)'
         ELSE ''
       END
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  -- A call refused for lack of permission is someone trying; any other failure (a key already pending
  -- deletion, a wrong id) changed nothing and refused nobody, so it is worth less.
  CASE
    WHEN errorcode IS NOT NULL AND errorcode NOT LIKE '%AccessDenied%' THEN 'medium'
  END AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND eventsource = 'kms.amazonaws.com'
  AND eventname IN ('DisableKey', 'ScheduleKeyDeletion')
