-- log-delivery-gap: an account-region that logged earlier in the window, then nothing for at least gapHours
-- up to the end of the window: a trail (or its delivery) that silently stopped.
-- Only the trailing silence is reported. A gap followed by events again is not: CloudTrail delivers late
-- events with their original eventTime, so a mid-window gap is a quiet spell, not lost logs, and a trail
-- that was stopped and restarted is trail-tampering's finding.
-- Binds: window start, window end, window end (twice: the end of the silence), gap hours.
-- Athena binds parameters only in WHERE clauses, so the window end enters in the final filter: the bound
-- end, or, for an open window (a local scan without --until, sentinel '9999-12-31T23:59:59Z'), the latest
-- event seen anywhere in the window.
-- Every event of the window is read twice, each time for the few columns needed: once sorted by eventTime
-- within its account-region (the silences between consecutive events), once for the last event itself.
WITH regions AS (
  SELECT
    trail_account,
    awsregion,
    max(eventtime) AS last_time,
    -- The longest silence this account-region already had in the window: quiet regions log sparsely, and a
    -- trailing silence no longer than their usual ones is not evidence that delivery stopped.
    max(gap_seconds) AS longest_earlier_gap_seconds
  FROM (
    SELECT
      trail_account,
      awsregion,
      eventtime,
      -- In eventTime order (events at the same eventTime are 0 s apart in any order).
      event_seconds - lag(event_seconds) OVER (PARTITION BY trail_account, awsregion ORDER BY eventtime) AS gap_seconds
    FROM (
      SELECT
        -- recipientAccountId is absent on some events; the account of the log file's path is then the one
        -- whose trail delivered it.
        coalesce(recipientaccountid, account) AS trail_account,
        awsregion,
        eventtime,
        to_unixtime(from_iso8601_timestamp(eventtime)) AS event_seconds
      FROM cloudtrail_logs
      WHERE eventtime >= ?
        AND eventtime < ?
        -- A record that names no account or region cannot be attributed to a trail's delivery.
        AND coalesce(recipientaccountid, account) IS NOT NULL
        AND awsregion IS NOT NULL
    )
  )
  GROUP BY trail_account, awsregion
),
last_events AS (
  -- Each account-region's last event: of several at its last eventTime, the one with the greatest eventID,
  -- one without an eventID last ('x' || eventid ranks every eventID, even '', above NULL's '').
  SELECT
    r.trail_account,
    r.awsregion,
    r.last_time AS eventtime,
    r.longest_earlier_gap_seconds,
    max_by(c.eventid, coalesce('x' || c.eventid, '')) AS eventid,
    max_by(c.eventsource, coalesce('x' || c.eventid, '')) AS eventsource,
    max_by(c.eventname, coalesce('x' || c.eventid, '')) AS eventname
  FROM cloudtrail_logs c
  JOIN regions r
    ON coalesce(c.recipientaccountid, c.account) = r.trail_account
    AND c.awsregion = r.awsregion
    AND c.eventtime = r.last_time
  GROUP BY r.trail_account, r.awsregion, r.last_time, r.longest_earlier_gap_seconds
),
latest AS (
  -- The latest event seen anywhere in the window: the organization was still logging then.
  SELECT max(last_time) AS latest_time
  FROM regions
),
last_seen AS (
  SELECT
    e.*,
    l.latest_time,
    to_unixtime(from_iso8601_timestamp(l.latest_time)) - to_unixtime(from_iso8601_timestamp(e.eventtime)) AS behind_seconds
  FROM last_events e
  CROSS JOIN latest l
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
