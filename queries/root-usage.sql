-- root-usage: activity by the root user that is not an AWS service acting on its behalf.
-- Binds: window start, window end.
SELECT
  eventid AS event_id,
  eventtime AS event_time,
  -- recipientAccountId is absent on some events; the account of the log file's path is then the one.
  coalesce(recipientaccountid, account) AS account_id,
  awsregion AS region,
  eventsource AS event_source,
  eventname AS event_name,
  coalesce(useridentity.arn, useridentity.principalid) AS principal,
  sourceipaddress AS source_ip,
  useragent AS user_agent,
  errorcode AS error_code,
  'Root user called ' || eventname || ' on ' || eventsource
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (failed: ' || errorcode || ')' END AS summary,
  CAST(NULL AS varchar) AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND useridentity.type = 'Root'
  -- An AWS service acting for the root identity sets invokedBy; the console's sign-in service is the
  -- exception, since a person at the console is behind those calls.
  AND coalesce(useridentity.invokedby, 'signin.amazonaws.com') = 'signin.amazonaws.com'
  -- Service events are recorded under root but were not performed by a person.
  AND coalesce(eventtype, '') <> 'AwsServiceEvent'
