-- security-group-open-world: security group ingress opened to every address (0.0.0.0/0 or ::/0), or an
-- attempt to.
-- Binds: window start, window end.
--
-- A request can carry many permissions and the open range may be in any of them, so detection reads each
-- request's whole permission list as JSON text (no lambdas: the same text runs on Athena and DuckDB).
-- The summary lists the protocol and ports of the open permissions among the first ten of the request.
-- The log is read once: Athena would scan it again for every extra reference to a WITH query.
WITH opened AS (
  SELECT
    eventid,
    eventtime,
    awsregion,
    eventsource,
    eventname,
    -- recipientAccountId is absent on some events; the account of the log file's path is then the one.
    coalesce(recipientaccountid, account) AS recipientaccountid,
    coalesce(useridentity.arn, useridentity.principalid, useridentity.invokedby) AS principal,
    sourceipaddress,
    useragent,
    errorcode,
    requestparameters
  FROM cloudtrail_logs
  WHERE eventtime >= ?
    AND eventtime < ?
    AND eventsource = 'ec2.amazonaws.com'
    AND (
      (
        eventname = 'AuthorizeSecurityGroupIngress'
        AND (
          -- ipPermissions.items[].ipRanges.items[].cidrIp and .ipv6Ranges.items[].cidrIpv6, in any item.
          -- Any /0 prefix is the whole address space, whatever address precedes it.
          regexp_like(json_format(json_extract(requestparameters, '$.ipPermissions')),
                      '"cidrIp(v6)?"\s*:\s*"[0-9A-Fa-f.:]*/0"')
          -- The legacy form: one range at the top level of the request.
          OR regexp_like(json_extract_scalar(requestparameters, '$.cidrIp'), '/0$')
        )
      )
      -- ModifySecurityGroupRules rewrites existing rules by id: one object, or a list of them.
      OR (
        eventname = 'ModifySecurityGroupRules'
        AND regexp_like(json_format(json_extract(requestparameters, '$.ModifySecurityGroupRulesRequest')),
                        '"CidrIpv[46]"\s*:\s*"[0-9A-Fa-f.:]*/0"')
      )
    )
),
-- Each matched request once per permission slot: ipPermissions items 0-9, the rule of a
-- ModifySecurityGroupRules request (slot 10 when it is one object, 11-15 when it is a list), and the legacy
-- top-level form (slot 16).
permissions AS (
  SELECT
    o.*,
    s.n,
    CASE s.n
      WHEN 0 THEN json_extract(o.requestparameters, '$.ipPermissions.items[0]')
      WHEN 1 THEN json_extract(o.requestparameters, '$.ipPermissions.items[1]')
      WHEN 2 THEN json_extract(o.requestparameters, '$.ipPermissions.items[2]')
      WHEN 3 THEN json_extract(o.requestparameters, '$.ipPermissions.items[3]')
      WHEN 4 THEN json_extract(o.requestparameters, '$.ipPermissions.items[4]')
      WHEN 5 THEN json_extract(o.requestparameters, '$.ipPermissions.items[5]')
      WHEN 6 THEN json_extract(o.requestparameters, '$.ipPermissions.items[6]')
      WHEN 7 THEN json_extract(o.requestparameters, '$.ipPermissions.items[7]')
      WHEN 8 THEN json_extract(o.requestparameters, '$.ipPermissions.items[8]')
      WHEN 9 THEN json_extract(o.requestparameters, '$.ipPermissions.items[9]')
      WHEN 10 THEN json_extract(o.requestparameters, '$.ModifySecurityGroupRulesRequest.SecurityGroupRule.SecurityGroupRule')
      WHEN 11 THEN json_extract(o.requestparameters, '$.ModifySecurityGroupRulesRequest.SecurityGroupRule[0].SecurityGroupRule')
      WHEN 12 THEN json_extract(o.requestparameters, '$.ModifySecurityGroupRulesRequest.SecurityGroupRule[1].SecurityGroupRule')
      WHEN 13 THEN json_extract(o.requestparameters, '$.ModifySecurityGroupRulesRequest.SecurityGroupRule[2].SecurityGroupRule')
      WHEN 14 THEN json_extract(o.requestparameters, '$.ModifySecurityGroupRulesRequest.SecurityGroupRule[3].SecurityGroupRule')
      WHEN 15 THEN json_extract(o.requestparameters, '$.ModifySecurityGroupRulesRequest.SecurityGroupRule[4].SecurityGroupRule')
      WHEN 16 THEN json_extract(o.requestparameters, '$')
    END AS p
  FROM opened o
  CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16)) AS s (n)
),
-- The protocol and ports of each permission open to every address (NULL for the other slots). EC2 spells
-- the keys ipProtocol, fromPort and toPort in ipPermissions and the legacy form, IpProtocol, FromPort and
-- ToPort in ModifySecurityGroupRules.
open_permissions AS (
  SELECT
    *,
    CASE
      -- The legacy slot is the whole request: only its own top-level range counts.
      WHEN n = 16 THEN regexp_like(json_extract_scalar(p, '$.cidrIp'), '/0$')
      ELSE regexp_like(json_format(p), '"[Cc]idrIp(v4|v6)?"\s*:\s*"[0-9A-Fa-f.:]*/0"')
    END AS is_open,
    coalesce(json_extract_scalar(p, '$.ipProtocol'), json_extract_scalar(p, '$.IpProtocol')) AS protocol,
    coalesce(json_extract_scalar(p, '$.fromPort'), json_extract_scalar(p, '$.FromPort')) AS from_port,
    coalesce(json_extract_scalar(p, '$.toPort'), json_extract_scalar(p, '$.ToPort')) AS to_port
  FROM permissions
),
described AS (
  SELECT
    *,
    CASE
      WHEN NOT coalesce(is_open, false) THEN NULL
      WHEN protocol IN ('-1', 'all') THEN 'all traffic'
      WHEN from_port IS NULL OR from_port = '-1' THEN 'all ' || protocol
      WHEN to_port IS NULL OR to_port = from_port THEN protocol || ' ' || from_port
      ELSE protocol || ' ' || from_port || '-' || to_port
    END AS port_range
  FROM open_permissions
)
SELECT
  eventid AS event_id,
  eventtime AS event_time,
  recipientaccountid AS account_id,
  awsregion AS region,
  eventsource AS event_source,
  eventname AS event_name,
  principal,
  sourceipaddress AS source_ip,
  useragent AS user_agent,
  errorcode AS error_code,
  eventname || ' on security group '
    || coalesce(json_extract_scalar(requestparameters, '$.groupId'),
                json_extract_scalar(requestparameters, '$.ModifySecurityGroupRulesRequest.GroupId'),
                json_extract_scalar(requestparameters, '$.groupName'), '(unnamed)')
    || ': ingress from the whole internet'
    || coalesce(' (' || nullif(array_join(array_sort(array_distinct(
                  array_agg(port_range) FILTER (WHERE port_range IS NOT NULL))), ', '), '') || ')',
                ' (ports: see the request)')
    -- The request names a rule by id, not its direction, and an egress rule open to all is the default.
    || CASE WHEN eventname = 'ModifySecurityGroupRules' THEN ', if that rule is ingress (the request does not say)' ELSE '' END
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END
    AS summary,
  -- A call refused for lack of permission is someone trying; any other failure (the rule already exists,
  -- a DryRun check) opened nothing new and refused nobody, so it is worth less.
  CASE
    WHEN errorcode IS NOT NULL
      AND errorcode NOT LIKE '%AccessDenied%'
      AND errorcode NOT LIKE '%UnauthorizedOperation'
      THEN 'medium'
  END AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM described
GROUP BY eventid, eventtime, recipientaccountid, awsregion, eventsource, eventname, principal, sourceipaddress,
         useragent, errorcode, requestparameters
