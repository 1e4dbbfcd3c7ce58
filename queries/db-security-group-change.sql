-- db-security-group-change: an RDS DB security group created, deleted, opened or narrowed (or an attempt).
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
  -- RDS records its parameters with the API's names lower-cased at the first letter (dBSecurityGroupName,
  -- cIDRIP, eC2SecurityGroupId).
  eventname || ' on DB security group '
    || coalesce(json_extract_scalar(requestparameters, '$.dBSecurityGroupName'), '(unnamed)')
    || coalesce(' for ' || json_extract_scalar(requestparameters, '$.cIDRIP'),
                ' for EC2 security group ' || json_extract_scalar(requestparameters, '$.eC2SecurityGroupId'),
                ' for EC2 security group ' || json_extract_scalar(requestparameters, '$.eC2SecurityGroupName'), '')
    || CASE
         WHEN eventname = 'AuthorizeDBSecurityGroupIngress'
           AND regexp_like(coalesce(json_extract_scalar(requestparameters, '$.cIDRIP'), ''), '/0$')
           THEN ' (open to the whole internet)'
         ELSE ''
       END
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  -- A call refused for lack of permission is someone trying; any other failure changed nothing and refused
  -- nobody (since EC2-Classic retired, most of these calls fail as unsupported), so it is worth less.
  CASE
    WHEN errorcode IS NOT NULL AND errorcode NOT LIKE '%AccessDenied%' THEN 'medium'
  END AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND eventsource = 'rds.amazonaws.com'
  AND eventname IN ('AuthorizeDBSecurityGroupIngress', 'RevokeDBSecurityGroupIngress',
                    'CreateDBSecurityGroup', 'DeleteDBSecurityGroup')
