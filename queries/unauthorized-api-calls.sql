-- unauthorized-api-calls: principals refused (AccessDenied, UnauthorizedOperation) at least `threshold` times
-- within the window; one finding per principal, with the events behind it.
-- Binds: window start, window end, threshold.
--
-- A role's sessions count together: permissions belong to the role, and an intruder probing with a stolen
-- role credential may open many sessions. The finding's principal is the role's ARN.
WITH denied AS (
  SELECT
    eventid,
    eventtime,
    awsregion,
    eventsource,
    eventname,
    sourceipaddress,
    useragent,
    errorcode,
    coalesce(useridentity.sessioncontext.sessionissuer.arn, useridentity.arn, useridentity.principalid) AS principal,
    coalesce(useridentity.sessioncontext.sessionissuer.accountid, useridentity.accountid, recipientaccountid, account) AS principal_account,
    useridentity.arn AS session_arn
  FROM cloudtrail_logs
  WHERE eventtime >= ?
    AND eventtime < ?
    -- The CIS filter's codes: AccessDenied and its service variants (AccessDeniedException,
    -- Client.AccessDenied…), and EC2's UnauthorizedOperation with or without the Client. prefix.
    AND (errorcode LIKE '%AccessDenied%' OR errorcode LIKE '%UnauthorizedOperation')
    -- An AWS service calling as itself, or on a principal's behalf (invokedBy, e.g. Config or
    -- CloudFormation probing what it may read), is not the principal trying. The console sets invokedBy
    -- to signin.amazonaws.com for calls a person makes there: those count.
    AND coalesce(useridentity.type, '') <> 'AWSService'
    AND coalesce(useridentity.invokedby, 'signin.amazonaws.com') = 'signin.amazonaws.com'
    -- Service-linked roles belong to AWS services; their permissions are AWS's to fix, not the customer's.
    AND coalesce(useridentity.sessioncontext.sessionissuer.arn, '') NOT LIKE '%:role/aws-service-role/%'
),
per_principal AS (
  SELECT
    min_by(eventid, eventtime) AS event_id,
    min(eventtime) AS event_time,
    principal_account AS account_id,
    -- Shown only when every refused call shares it.
    CASE WHEN count(DISTINCT awsregion) = 1 THEN min(awsregion) END AS region,
    CASE WHEN count(DISTINCT eventsource) = 1 THEN min(eventsource) END AS event_source,
    CASE WHEN count(DISTINCT eventname) = 1 THEN min(eventname) END AS event_name,
    principal,
    CASE WHEN count(DISTINCT sourceipaddress) = 1 THEN min(sourceipaddress) END AS source_ip,
    CASE WHEN count(DISTINCT useragent) = 1 THEN min(useragent) END AS user_agent,
    CASE WHEN count(DISTINCT errorcode) = 1 THEN min(errorcode) END AS error_code,
    CAST(count(*) AS varchar) || ' refused calls to ' || CAST(count(DISTINCT eventsource || ':' || eventname) AS varchar)
      || ' API' || CASE WHEN count(DISTINCT eventsource || ':' || eventname) > 1 THEN 's' ELSE '' END
      || ' (' || array_join(slice(array_sort(array_distinct(array_agg(
           replace(eventsource, '.amazonaws.com', '') || ':' || eventname))), 1, 5), ', ')
      || CASE WHEN count(DISTINCT eventsource || ':' || eventname) > 5 THEN ', ...' ELSE '' END || ')'
      || CASE WHEN count(DISTINCT session_arn) > 1 THEN ' in ' || CAST(count(DISTINCT session_arn) AS varchar) || ' sessions' ELSE '' END
      || CASE WHEN count(DISTINCT sourceipaddress) > 1 THEN ' from ' || CAST(count(DISTINCT sourceipaddress) AS varchar) || ' addresses' ELSE '' END
      AS summary,
    CAST(NULL AS varchar) AS risk,
    CAST(NULL AS varchar) AS tier,
    -- The first hundred events, oldest first: enough to investigate, small enough for the report.
    slice(array_agg(eventid ORDER BY eventtime), 1, 100) AS event_ids,
    count(*) AS refused
  FROM denied
  GROUP BY principal_account, principal
)
SELECT
  event_id, event_time, account_id, region, event_source, event_name, principal, source_ip, user_agent,
  error_code, summary, risk, tier, event_ids
FROM per_principal
-- Athena binds parameters only in WHERE clauses, so the threshold filters here rather than in a HAVING.
-- CIS 4.1 alarms on every refused call; the threshold (1 shows them all) keeps everyday permission gaps out.
WHERE refused >= ?
