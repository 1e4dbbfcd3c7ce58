-- unapproved-region-activity: resources created in a region outside the approved list.
-- Binds: window start, window end, approved regions (comma-separated).
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
  eventname || ' in unapproved region ' || awsregion
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  CAST(NULL AS varchar) AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND NOT contains(split(?, ','), awsregion)
  -- Global services log in us-east-1 whatever region the user works in; they are not regional activity.
  AND eventsource NOT IN ('iam.amazonaws.com', 'sts.amazonaws.com', 'signin.amazonaws.com',
                          'organizations.amazonaws.com', 'route53.amazonaws.com', 'cloudfront.amazonaws.com')
  -- Resource creation that costs money or opens a foothold: compute, functions, data stores, keys, networks.
  AND (
    (eventsource = 'ec2.amazonaws.com' AND eventname IN ('RunInstances', 'CreateVpc', 'CreateSubnet',
      'ImportKeyPair', 'CreateKeyPair', 'RequestSpotInstances', 'RequestSpotFleet', 'CreateFleet',
      'CreateLaunchTemplate', 'CreateSecurityGroup'))
    OR (eventsource = 'lambda.amazonaws.com' AND eventname LIKE 'CreateFunction%')
    OR (eventsource = 'rds.amazonaws.com' AND eventname IN ('CreateDBInstance', 'CreateDBCluster'))
    OR (eventsource = 's3.amazonaws.com' AND eventname = 'CreateBucket')
    OR (eventsource = 'ecs.amazonaws.com' AND eventname IN ('CreateCluster', 'RunTask'))
    OR (eventsource = 'eks.amazonaws.com' AND eventname = 'CreateCluster')
    OR (eventsource = 'sagemaker.amazonaws.com' AND eventname IN ('CreateNotebookInstance', 'CreateTrainingJob'))
  )
  -- Reads never create anything. readOnly is absent on older events and some services' events: the names
  -- above are all writes, so a missing flag does not exclude the event.
  AND coalesce(readonly, 'false') <> 'true'
