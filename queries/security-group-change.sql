-- security-group-change: a VPC security group created, deleted, or its rules added, removed or modified
-- (or an attempt).
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
  eventname || ' on security group '
    || coalesce(json_extract_scalar(requestparameters, '$.groupId'),
                json_extract_scalar(requestparameters, '$.ModifySecurityGroupRulesRequest.GroupId'),
                -- CreateSecurityGroup names the group in its request and returns its id.
                json_extract_scalar(responseelements, '$.groupId'),
                json_extract_scalar(requestparameters, '$.groupName'), '(unnamed)')
    || CASE
         WHEN eventname = 'CreateSecurityGroup'
           THEN coalesce(' "' || json_extract_scalar(requestparameters, '$.groupName') || '"', '')
             || coalesce(' in ' || json_extract_scalar(requestparameters, '$.vpcId'), '')
         ELSE ''
       END
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  -- A call refused for lack of permission is someone trying; any other failure (a duplicate rule, a group
  -- still in use, a DryRun check) changed nothing and refused nobody, so it is worth less.
  CASE
    WHEN errorcode IS NOT NULL
      AND errorcode NOT LIKE '%AccessDenied%'
      AND errorcode NOT LIKE '%UnauthorizedOperation'
      THEN 'medium'
  END AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname IN ('AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress',
                    'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress',
                    'CreateSecurityGroup', 'DeleteSecurityGroup', 'ModifySecurityGroupRules')
  -- AWS services that manage their own groups (EKS, Directory Service, WorkSpaces…) act through
  -- service-linked roles or as the service itself; those changes follow a customer action elsewhere.
  AND coalesce(useridentity.type, '') <> 'AWSService'
  AND coalesce(useridentity.sessioncontext.sessionissuer.arn, '') NOT LIKE '%:role/aws-service-role/%'
