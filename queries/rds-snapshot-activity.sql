-- rds-snapshot-activity: DB and cluster snapshots created, copied, deleted or shared, and instance changes.
-- A snapshot made public (restore attribute opened to 'all') is escalated to alert/high on its row.
-- Binds: window start, window end.
WITH snapshot_events AS (
  SELECT
    *,
    -- Public sharing (restore opened to 'all') lets any AWS account restore the data. A failed attempt is
    -- escalated too: it shows intent.
    coalesce(
      eventname IN ('ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute')
      AND json_extract_scalar(requestparameters, '$.attributeName') = 'restore'
      AND json_array_contains(lower(coalesce(json_format(json_extract(requestparameters, '$.valuesToAdd')), '[]')), 'all'),
      false
    ) AS shared_publicly
  FROM cloudtrail_logs
  WHERE eventtime >= ?
    AND eventtime < ?
    AND eventsource = 'rds.amazonaws.com'
    AND eventname IN (
      'CreateDBSnapshot', 'CopyDBSnapshot', 'DeleteDBSnapshot',
      'CreateDBClusterSnapshot', 'CopyDBClusterSnapshot', 'DeleteDBClusterSnapshot',
      -- Sharing: who else may copy or restore the snapshot.
      'ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute',
      -- Instance and cluster changes: public accessibility, master password reset, backup retention.
      'ModifyDBInstance', 'ModifyDBCluster'
    )
    -- AWS Backup creates, copies and expires snapshots on its own schedule: routine, not a change to review.
    -- Sharing and instance changes are kept whoever makes them.
    AND NOT (
      coalesce(useridentity.invokedby, '') = 'backup.amazonaws.com'
      AND eventname IN ('CreateDBSnapshot', 'CopyDBSnapshot', 'DeleteDBSnapshot',
                        'CreateDBClusterSnapshot', 'CopyDBClusterSnapshot', 'DeleteDBClusterSnapshot')
    )
)
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
  eventname || ' on '
    || coalesce(json_extract_scalar(requestparameters, '$.dBSnapshotIdentifier'),
                json_extract_scalar(requestparameters, '$.dBClusterSnapshotIdentifier'),
                json_extract_scalar(requestparameters, '$.targetDBSnapshotIdentifier'),
                json_extract_scalar(requestparameters, '$.targetDBClusterSnapshotIdentifier'),
                json_extract_scalar(requestparameters, '$.dBInstanceIdentifier'),
                json_extract_scalar(requestparameters, '$.dBClusterIdentifier'), '(unknown)')
    || CASE
         WHEN shared_publicly THEN ' shared publicly (restore opened to all)'
         WHEN json_extract_scalar(requestparameters, '$.attributeName') = 'restore'
           AND json_extract(requestparameters, '$.valuesToAdd') IS NOT NULL
           THEN ' shared with ' || json_format(json_extract(requestparameters, '$.valuesToAdd'))
         ELSE ''
       END
    || CASE WHEN json_extract_scalar(requestparameters, '$.publiclyAccessible') = 'true' THEN ' (made publicly accessible)' ELSE '' END
    || CASE WHEN json_extract_scalar(requestparameters, '$.masterUserPassword') IS NOT NULL THEN ' (master password reset)' ELSE '' END
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  CASE WHEN shared_publicly THEN 'high' ELSE CAST(NULL AS varchar) END AS risk,
  CASE WHEN shared_publicly THEN 'alert' ELSE CAST(NULL AS varchar) END AS tier,
  ARRAY[eventid] AS event_ids
FROM snapshot_events
