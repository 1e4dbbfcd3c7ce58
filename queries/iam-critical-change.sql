-- iam-critical-change: IAM changes that create identities or credentials, grant permissions, remove MFA or
-- rewrite who may assume a role (and attempts at them).
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
  -- The targets present, each as ", <kind> <name>"; the first separator is cut off.
  eventname
    || coalesce(': ' || nullif(substr(
         coalesce(', user ' || json_extract_scalar(requestparameters, '$.userName'), '')
         -- CreateAccessKey without a user name makes a key for the caller itself.
         || CASE
              WHEN eventname = 'CreateAccessKey' AND json_extract_scalar(requestparameters, '$.userName') IS NULL
                THEN ', for the calling user'
              ELSE ''
            END
         || coalesce(', group ' || json_extract_scalar(requestparameters, '$.groupName'), '')
         || coalesce(', role ' || json_extract_scalar(requestparameters, '$.roleName'), '')
         || coalesce(', policy ' || coalesce(json_extract_scalar(requestparameters, '$.policyArn'),
                                             json_extract_scalar(requestparameters, '$.policyName')), '')
         || coalesce(', version ' || json_extract_scalar(requestparameters, '$.versionId'), '')
         || coalesce(', MFA device ' || json_extract_scalar(requestparameters, '$.serialNumber'), ''),
         3), ''), '')
    || CASE
         WHEN json_extract_scalar(requestparameters, '$.policyArn') LIKE 'arn:%:iam::aws:policy/AdministratorAccess'
           THEN ' — AdministratorAccess: full control of the account'
         -- Inline and customer-managed policy documents that allow everything. CloudTrail writes a policy
         -- document as a JSON string; some log pipelines deliver it already parsed, as an object: both are read.
         WHEN regexp_like(coalesce(json_extract_scalar(requestparameters, '$.policyDocument'),
                                    json_format(json_extract(requestparameters, '$.policyDocument'))),
                           '"Effect"\s*:\s*"Allow"')
           AND regexp_like(coalesce(json_extract_scalar(requestparameters, '$.policyDocument'),
                                    json_format(json_extract(requestparameters, '$.policyDocument'))),
                           '"Action"\s*:\s*(\[\s*)?"\*(:\*)?"')
           AND regexp_like(coalesce(json_extract_scalar(requestparameters, '$.policyDocument'),
                                    json_format(json_extract(requestparameters, '$.policyDocument'))),
                           '"Resource"\s*:\s*(\[\s*)?"\*"')
           AND eventname <> 'UpdateAssumeRolePolicy'
           THEN ' — the policy allows Action "*" on Resource "*": administrator-equivalent'
         -- Trust policies that name every principal.
         WHEN eventname IN ('CreateRole', 'UpdateAssumeRolePolicy')
           AND regexp_like(coalesce(json_extract_scalar(requestparameters, '$.assumeRolePolicyDocument'),
                                    json_format(json_extract(requestparameters, '$.assumeRolePolicyDocument')),
                                    json_extract_scalar(requestparameters, '$.policyDocument'),
                                    json_format(json_extract(requestparameters, '$.policyDocument'))),
                           '"Principal"\s*:\s*"\*"|"AWS"\s*:\s*(\[\s*)?"\*"')
           THEN ' — the trust policy names principal "*": check its conditions'
         ELSE ''
       END
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  -- A call refused for lack of permission is someone trying (privilege escalation, persistence); any other
  -- failure (the entity exists, a malformed policy) changed nothing and refused nobody, so it is worth less.
  CASE
    WHEN errorcode IS NOT NULL AND errorcode NOT LIKE '%AccessDenied%' THEN 'medium'
  END AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND eventsource = 'iam.amazonaws.com'
  AND eventname IN (
    -- New identities and credentials.
    'CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile', 'CreateRole',
    -- New or changed permissions.
    'CreatePolicy', 'CreatePolicyVersion', 'SetDefaultPolicyVersion',
    'AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy',
    'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy', 'AddUserToGroup',
    -- MFA removed.
    'DeactivateMFADevice', 'DeleteVirtualMFADevice',
    -- Who may assume a role.
    'UpdateAssumeRolePolicy'
  )
