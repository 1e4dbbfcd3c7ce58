-- s3-bucket-policy-change: who may reach a bucket, how long it keeps data, or whether access is logged changed.
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
    || CASE
         WHEN json_extract_scalar(requestparameters, '$.bucketName') IS NOT NULL
           THEN ' on bucket ' || json_extract_scalar(requestparameters, '$.bucketName')
         ELSE ' for account ' || coalesce(recipientaccountid, '(unknown)')
       END
    -- A policy or ACL that names everyone is the change reviewers most need to see first. CloudTrail writes
    -- the policy as an object; some log pipelines deliver it as a JSON string: both are read.
    || CASE
         WHEN regexp_like(coalesce(json_extract_scalar(requestparameters, '$.bucketPolicy'),
                                   json_format(json_extract(requestparameters, '$.bucketPolicy')), ''),
                          '"Principal"\s*:\s*(\{\s*"AWS"\s*:\s*)?(\[\s*)?"\*"')
           OR regexp_like(coalesce(json_format(json_extract(requestparameters, '$.AccessControlPolicy')), ''),
                          'acs\.amazonaws\.com/groups/global/(AllUsers|AuthenticatedUsers)')
           OR json_extract_scalar(requestparameters, '$["x-amz-acl"][0]') IN ('public-read', 'public-read-write', 'authenticated-read')
           THEN ' (grants public access)'
         ELSE ''
       END
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  CAST(NULL AS varchar) AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  -- Bucket-level management calls only: object calls (PutObject, PutObjectAcl) are data events.
  AND eventsource = 's3.amazonaws.com'
  AND eventname IN (
    -- Who may access the bucket.
    'PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketAcl',
    -- Which other websites' scripts may read the bucket from a browser (CIS 4.8 counts these too).
    'PutBucketCors', 'DeleteBucketCors',
    'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock',
    -- The account-wide Block Public Access (s3control PutPublicAccessBlock / DeletePublicAccessBlock)
    -- is recorded under these names; turning it off un-protects every bucket at once.
    'PutAccountPublicAccessBlock', 'DeleteAccountPublicAccessBlock',
    -- How long data lives and where copies go: lifecycle expiry and replication can destroy or move data.
    'PutBucketLifecycle', 'PutBucketLifecycleConfiguration', 'DeleteBucketLifecycle',
    'PutBucketReplication', 'DeleteBucketReplication',
    -- Suspending versioning removes the undo for deletions (ransomware's first step).
    'PutBucketVersioning',
    -- Whether access is logged, and the tags that ABAC policies and data classification rely on.
    'PutBucketLogging', 'PutBucketTagging', 'DeleteBucketTagging'
  )
