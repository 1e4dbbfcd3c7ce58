-- organizations-change: the organization's policies, accounts, structure or trusted services changed.
-- An account leaving or being removed (it escapes the SCPs and the organization trail) is raised to high risk.
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
         json_extract_scalar(requestparameters, '$.policyId'),
         json_extract_scalar(requestparameters, '$.name'),
         json_extract_scalar(requestparameters, '$.accountId'),
         json_extract_scalar(requestparameters, '$.accountName'),
         json_extract_scalar(requestparameters, '$.servicePrincipal'),
         json_extract_scalar(requestparameters, '$.policyType'),
         json_extract_scalar(requestparameters, '$.organizationalUnitId'),
         json_extract_scalar(requestparameters, '$.handshakeId'),
         json_extract_scalar(requestparameters, '$.target.id')), '')
    || coalesce(' on ' || json_extract_scalar(requestparameters, '$.targetId'), '')
    || coalesce(' to ' || json_extract_scalar(requestparameters, '$.destinationParentId'), '')
    || CASE WHEN eventname = 'LeaveOrganization' THEN ' (account ' || coalesce(recipientaccountid, '?') || ' left)' ELSE '' END
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  CASE
    WHEN eventname IN ('LeaveOrganization', 'RemoveAccountFromOrganization', 'DeleteOrganization') THEN 'high'
    ELSE CAST(NULL AS varchar)
  END AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND eventsource = 'organizations.amazonaws.com'
  AND eventname IN (
    -- Policies (SCPs, RCPs, tag, backup and AI opt-out policies) and the policy types in force.
    'CreatePolicy', 'UpdatePolicy', 'DeletePolicy', 'AttachPolicy', 'DetachPolicy',
    'EnablePolicyType', 'DisablePolicyType',
    -- Accounts joining, leaving, closing or moving between OUs (and so between policies).
    'CreateAccount', 'CreateGovCloudAccount', 'InviteAccountToOrganization', 'AcceptHandshake',
    'DeclineHandshake',
    'RemoveAccountFromOrganization', 'LeaveOrganization', 'CloseAccount', 'MoveAccount',
    -- The structure and the organization itself.
    'CreateOrganizationalUnit', 'DeleteOrganizationalUnit', 'UpdateOrganizationalUnit',
    'CreateOrganization', 'DeleteOrganization', 'EnableAllFeatures',
    -- Who administers services for the organization, and which services it trusts.
    'RegisterDelegatedAdministrator', 'DeregisterDelegatedAdministrator',
    'EnableAWSServiceAccess', 'DisableAWSServiceAccess',
    'PutResourcePolicy', 'DeleteResourcePolicy'
  )
