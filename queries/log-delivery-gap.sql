-- log-delivery-gap: an account-region that logged earlier in the window, then nothing for at least gapHours
-- up to the end of the window: a trail (or its delivery) that silently stopped.
-- Only the trailing silence is reported. A gap followed by events again is not: CloudTrail delivers late
-- events with their original eventTime, so a mid-window gap is a quiet spell, not lost logs, and a trail
-- that was stopped and restarted is trail-tampering's finding.
-- Binds: window start, window end, window end (twice: the end of the silence), gap hours.
-- Athena binds parameters only in WHERE clauses, so the window end enters in the final filter: the bound
-- end, or, for an open window (a local scan without --until, sentinel '9999-12-31T23:59:59Z'), the latest
-- event seen anywhere in the window.
WITH attributed AS (
  SELECT
    *,
    -- recipientAccountId is absent on some events; the account of the log file's path is then the one
    -- whose trail delivered it.
    coalesce(recipientaccountid, account) AS trail_account
  FROM cloudtrail_logs
  WHERE eventtime >= ?
    AND eventtime < ?
),
windowed AS (
  SELECT
    *,
    lag(eventtime) OVER (PARTITION BY trail_account, awsregion ORDER BY eventtime, eventid) AS previous_time
  FROM attributed
  -- A record that names no account or region cannot be attributed to a trail's delivery.
  WHERE trail_account IS NOT NULL
    AND awsregion IS NOT NULL
),
ranked AS (
  SELECT
    *,
    row_number() OVER (PARTITION BY trail_account, awsregion ORDER BY eventtime DESC, eventid DESC) AS recency,
    -- The longest silence this account-region already had in the window: quiet regions log sparsely, and a
    -- trailing silence no longer than their usual ones is not evidence that delivery stopped.
    max(to_unixtime(from_iso8601_timestamp(eventtime)) - to_unixtime(from_iso8601_timestamp(previous_time)))
      OVER (PARTITION BY trail_account, awsregion) AS longest_earlier_gap_seconds
  FROM windowed
),
latest AS (
  -- The latest event seen anywhere in the window: the organization was still logging then.
  SELECT max(eventtime) AS latest_time
  FROM windowed
),
last_seen AS (
  SELECT
    r.*,
    l.latest_time,
    to_unixtime(from_iso8601_timestamp(l.latest_time)) - to_unixtime(from_iso8601_timestamp(r.eventtime)) AS behind_seconds
  FROM ranked r
  CROSS JOIN latest l
  WHERE r.recency = 1
)
SELECT
  eventid AS event_id,
  eventtime AS event_time,
  trail_account AS account_id,
  awsregion AS region,
  eventsource AS event_source,
  eventname AS event_name,
  -- The last event's caller, address and outcome did not cause the silence; they are left empty.
  CAST(NULL AS varchar) AS principal,
  CAST(NULL AS varchar) AS source_ip,
  CAST(NULL AS varchar) AS user_agent,
  CAST(NULL AS varchar) AS error_code,
  'no events from ' || trail_account || '/' || awsregion || ' since ' || eventtime || ', '
    || CAST(CAST(round(behind_seconds / 3600.0, 1) AS decimal(10, 1)) AS varchar)
    || ' h before the latest event in the window' AS summary,
  CAST(NULL AS varchar) AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM last_seen
WHERE to_unixtime(from_iso8601_timestamp(CASE WHEN ? < '9999-12-31' THEN ? ELSE latest_time END))
    - to_unixtime(from_iso8601_timestamp(eventtime)) >= ? * 3600
  AND to_unixtime(from_iso8601_timestamp(CASE WHEN ? < '9999-12-31' THEN ? ELSE latest_time END))
    - to_unixtime(from_iso8601_timestamp(eventtime)) > coalesce(longest_earlier_gap_seconds, 0)
