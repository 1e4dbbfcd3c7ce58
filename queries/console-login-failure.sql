-- console-login-failure: failed console sign-ins, one finding per account, user name and source IP, high
-- when that IP or that user reaches the failure threshold within the window.
-- Binds: window start, window end, failure threshold.
--
-- One finding per user name and source IP, not per event: a password-guessing run of hundreds of attempts
-- is one finding carrying its event ids (the first hundred), and every failed event belongs to exactly one
-- finding. The threshold looks wider than the pair: an IP spraying many user names, or a user name guessed
-- from many IPs, makes each of its findings high. The log is read once (no self-joins): Athena would scan
-- it again for every extra reference to a WITH query.
WITH events AS (
  SELECT
    eventid,
    eventtime,
    -- recipientAccountId is absent on some events; the account of the log file's path is then the one.
    coalesce(recipientaccountid, account) AS recipientaccountid,
    awsregion,
    sourceipaddress,
    useragent,
    errorcode,
    -- A failed IAM user sign-in carries no ARN; its user name reads better than the opaque principal id.
    coalesce(useridentity.arn, useridentity.username, useridentity.principalid) AS principal,
    -- Root has no user name. A user name that does not exist is masked as HIDDEN_DUE_TO_SECURITY_REASONS
    -- (people type passwords into the name field); it is kept as its own user name here.
    CASE
      WHEN useridentity.type = 'Root' THEN 'root'
      ELSE coalesce(useridentity.username, useridentity.principalid, '(unknown)')
    END AS user_name,
    json_extract_scalar(responseelements, '$.ConsoleLogin') AS outcome,
    errormessage
  FROM cloudtrail_logs
  WHERE eventtime >= ?
    AND eventtime < ?
    AND eventsource = 'signin.amazonaws.com'
    AND eventname = 'ConsoleLogin'
),
signins AS (
  SELECT
    *,
    coalesce(outcome = 'Failure' OR errormessage = 'Failed authentication', false) AS failed,
    -- A success by the same user from the same IP after failures may be a guess that worked.
    max(CASE WHEN outcome = 'Success' THEN eventtime END)
      OVER (PARTITION BY recipientaccountid, user_name, sourceipaddress) AS last_success
  FROM events
),
pairs AS (
  SELECT
    recipientaccountid,
    user_name,
    sourceipaddress,
    count(*) AS failures,
    min(eventtime) AS first_failure,
    min_by(eventid, eventtime) AS first_event_id,
    slice(array_agg(eventid ORDER BY eventtime), 1, 100) AS event_ids,
    min(awsregion) AS region,
    max(principal) AS principal,
    CASE WHEN count(DISTINCT useragent) = 1 THEN min(useragent) END AS user_agent,
    CASE WHEN count(DISTINCT errorcode) = 1 THEN min(errorcode) END AS error_code,
    max(last_success) AS last_success
  FROM signins
  WHERE failed
  GROUP BY recipientaccountid, user_name, sourceipaddress
),
scored AS (
  SELECT
    pairs.*,
    sum(failures) OVER (PARTITION BY sourceipaddress) AS ip_failures,
    count(*) OVER (PARTITION BY sourceipaddress) AS ip_user_names,
    -- The masked name stands for many names that do not exist: it is not one user to count against.
    CASE
      WHEN user_name = 'HIDDEN_DUE_TO_SECURITY_REASONS' THEN failures
      ELSE sum(failures) OVER (PARTITION BY recipientaccountid, user_name)
    END AS user_failures,
    count(*) OVER (PARTITION BY recipientaccountid, user_name) AS user_ips
  FROM pairs
),
-- Athena binds parameters only in WHERE clauses: the pairs at or over the threshold are selected here and
-- joined back as a flag.
over_threshold AS (
  SELECT recipientaccountid, user_name, sourceipaddress
  FROM scored
  WHERE greatest(ip_failures, user_failures) >= ?
)
SELECT
  first_event_id AS event_id,
  first_failure AS event_time,
  s.recipientaccountid AS account_id,
  region,
  'signin.amazonaws.com' AS event_source,
  'ConsoleLogin' AS event_name,
  principal,
  s.sourceipaddress AS source_ip,
  user_agent,
  error_code,
  CAST(failures AS varchar) || ' failed console sign-in' || CASE WHEN failures > 1 THEN 's' ELSE '' END
    || CASE
         WHEN s.user_name = 'HIDDEN_DUE_TO_SECURITY_REASONS' THEN ' with user names that do not exist'
         WHEN s.user_name = 'root' THEN ' as root'
         ELSE ' as ' || s.user_name
       END
    || ' from ' || coalesce(s.sourceipaddress, 'an unrecorded address')
    || CASE
         WHEN ip_failures > failures
           THEN '; this IP failed ' || CAST(ip_failures AS varchar) || ' times across '
             || CAST(ip_user_names AS varchar) || ' user names'
         ELSE ''
       END
    || CASE
         WHEN user_failures > failures
           THEN '; ' || s.user_name || ' failed ' || CAST(user_failures AS varchar) || ' times from '
             || CAST(user_ips AS varchar) || ' addresses'
         ELSE ''
       END
    || CASE WHEN o.user_name IS NOT NULL THEN ' (failure threshold reached)' ELSE '' END
    || CASE WHEN last_success > first_failure THEN '; followed by a successful sign-in from this IP' ELSE '' END
    AS summary,
  CASE WHEN o.user_name IS NOT NULL THEN 'high' END AS risk,
  CAST(NULL AS varchar) AS tier,
  event_ids
FROM scored s
LEFT JOIN over_threshold o
  ON o.recipientaccountid IS NOT DISTINCT FROM s.recipientaccountid
  AND o.user_name = s.user_name
  AND o.sourceipaddress IS NOT DISTINCT FROM s.sourceipaddress
