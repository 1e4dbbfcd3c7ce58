-- iam-change: any other IAM write, the ones iam-critical-change does not already report.
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
    || coalesce(' on ' || coalesce(
         json_extract_scalar(requestparameters, '$.userName'),
         json_extract_scalar(requestparameters, '$.roleName'),
         json_extract_scalar(requestparameters, '$.groupName'),
         json_extract_scalar(requestparameters, '$.instanceProfileName'),
         json_extract_scalar(requestparameters, '$.serialNumber'),
         json_extract_scalar(requestparameters, '$.openIDConnectProviderArn'),
         json_extract_scalar(requestparameters, '$.sAMLProviderArn'),
         json_extract_scalar(requestparameters, '$.url'),
         json_extract_scalar(requestparameters, '$.name'),
         json_extract_scalar(requestparameters, '$.aWSServiceName')), '')
    || coalesce(' policy ' || coalesce(json_extract_scalar(requestparameters, '$.policyArn'),
                                       json_extract_scalar(requestparameters, '$.policyName')), '')
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  CAST(NULL AS varchar) AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND eventsource = 'iam.amazonaws.com'
  -- Writes only: these verbs change IAM; Get/List/Generate/Simulate only read.
  AND regexp_like(eventname, '^(Add|Attach|Change|Create|Deactivate|Delete|Detach|Enable|Put|Remove|Set|Update|Upload|Tag|Untag)')
  -- Reported by iam-critical-change (alert tier): one finding per event, never both.
  AND eventname NOT IN (
    'CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile',
    'CreateRole', 'CreatePolicy', 'CreatePolicyVersion', 'SetDefaultPolicyVersion',
    'AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy',
    'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy',
    'AddUserToGroup', 'DeactivateMFADevice', 'DeleteVirtualMFADevice', 'UpdateAssumeRolePolicy'
  )
  -- IAM Identity Center keeps its own AWSReservedSSO_ roles in step with permission sets; those updates are
  -- the service applying a reviewed permission set, not a hand-made change.
  AND NOT (
    coalesce(useridentity.invokedby, '') = 'sso.amazonaws.com'
    AND regexp_like(coalesce(json_extract_scalar(requestparameters, '$.roleName'), ''), '^AWSReservedSSO_')
  )
