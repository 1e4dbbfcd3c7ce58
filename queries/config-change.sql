-- config-change: AWS Config recording, delivery or rules stopped, deleted, narrowed or reconfigured.
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
  eventname
    || coalesce(' ' || coalesce(
         json_extract_scalar(requestparameters, '$.configurationRecorderName'),
         json_extract_scalar(requestparameters, '$.configurationRecorder.name'),
         json_extract_scalar(requestparameters, '$.deliveryChannelName'),
         json_extract_scalar(requestparameters, '$.deliveryChannel.name'),
         json_extract_scalar(requestparameters, '$.configRuleName'),
         json_extract_scalar(requestparameters, '$.organizationConfigRuleName'),
         json_extract_scalar(requestparameters, '$.conformancePackName'),
         json_extract_scalar(requestparameters, '$.organizationConformancePackName')), '')
    || coalesce(' (delivers to s3://' || json_extract_scalar(requestparameters, '$.deliveryChannel.s3BucketName') || ')', '')
    || CASE
         WHEN json_extract_scalar(requestparameters, '$.configurationRecorder.recordingGroup.allSupported') = 'false'
           THEN ' (records only chosen resource types)'
         ELSE ''
       END
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  -- A recorder put back still recording every supported type narrows nothing.
  CASE
    WHEN eventname = 'PutConfigurationRecorder'
      AND errorcode IS NULL
      AND json_extract_scalar(requestparameters, '$.configurationRecorder.recordingGroup.allSupported') = 'true'
      THEN 'low'
  END AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND eventsource = 'config.amazonaws.com'
  AND (
    -- Recording and delivery stopped or removed: the configuration history goes dark.
    eventname IN ('StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel')
    -- PutDeliveryChannel can send the history to another bucket or topic: kept, since an attacker's
    -- redirection looks exactly like set-up, and both are rare enough to review.
    OR eventname = 'PutDeliveryChannel'
    -- Deleting rules, conformance packs or their results removes the compliance checks themselves.
    OR eventname IN ('DeleteConfigRule', 'DeleteOrganizationConfigRule', 'DeleteConformancePack',
                     'DeleteOrganizationConformancePack', 'DeleteEvaluationResults')
    -- Every PutConfigurationRecorder, as CIS 4.9 counts them: a recorder narrowed to chosen resource types
    -- stops recording everything else (the summary says so); one that still records everything is low risk.
    OR eventname = 'PutConfigurationRecorder'
  )
