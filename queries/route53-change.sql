-- route53-change: DNS records or hosted zones changed, and domain transfers or lock removal.
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
  CASE
    WHEN eventname = 'ChangeResourceRecordSets' THEN
      'ChangeResourceRecordSets in zone ' || coalesce(json_extract_scalar(requestparameters, '$.hostedZoneId'), '(unknown)')
      || ': ' || coalesce(json_extract_scalar(requestparameters, '$.changeBatch.changes[0].action'), '?')
      || ' ' || coalesce(json_extract_scalar(requestparameters, '$.changeBatch.changes[0].resourceRecordSet.name'), '?')
      || ' ' || coalesce(json_extract_scalar(requestparameters, '$.changeBatch.changes[0].resourceRecordSet.type'), '?')
      || CASE
           WHEN coalesce(json_array_length(json_extract(requestparameters, '$.changeBatch.changes')), 0) > 1
             THEN ' and ' || CAST(json_array_length(json_extract(requestparameters, '$.changeBatch.changes')) - 1 AS varchar)
                  || ' more change(s)'
           ELSE ''
         END
    ELSE
      eventname || ' for '
      || coalesce(json_extract_scalar(requestparameters, '$.domainName'),
                  json_extract_scalar(requestparameters, '$.name'),
                  json_extract_scalar(requestparameters, '$.hostedZoneId'),
                  json_extract_scalar(requestparameters, '$.id'), '(unknown)')
  END
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  CAST(NULL AS varchar) AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND (
    -- Records and zones: where names resolve, and which VPCs see a private zone. Tag changes
    -- (ChangeTagsForResource) and comments do not change resolution, so they are left out.
    (
      eventsource = 'route53.amazonaws.com'
      AND eventname IN ('ChangeResourceRecordSets', 'CreateHostedZone', 'DeleteHostedZone',
                        'AssociateVPCWithHostedZone', 'DisassociateVPCFromHostedZone',
                        'CreateVPCAssociationAuthorization', 'DisableHostedZoneDNSSEC')
    )
    -- Registered domains: a transfer, a released lock or new name servers hand the domain to someone else.
    OR (
      eventsource = 'route53domains.amazonaws.com'
      AND eventname IN ('TransferDomain', 'TransferDomainToAnotherAwsAccount', 'DisableDomainTransferLock',
                        'UpdateDomainNameservers', 'DeleteDomain')
    )
  )
  -- AWS Cloud Map maintains the records of its own service-discovery namespaces; that churn is not a change
  -- anyone made by hand.
  AND coalesce(useridentity.invokedby, '') <> 'servicediscovery.amazonaws.com'
