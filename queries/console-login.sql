-- console-login: successful sign-ins to the AWS Management Console; high for root or an IAM user without MFA.
-- Binds: window start, window end.
--
-- MFAUsed says whether AWS's own sign-in asked for an MFA code. That is the whole story for root and IAM
-- users. Federated sign-ins (SAML, IAM Identity Center, a sign-in token from GetSigninToken) are
-- authenticated before they reach AWS, so AWS records MFAUsed=No for every one of them: it proves nothing
-- either way, and their MFA is the identity provider's to enforce. They stay at the rule's risk, and the
-- summary says which way they came in. AssumeRoleWithSAML is not matched: a SAML console sign-in also logs
-- this ConsoleLogin (as AssumedRole), and the same call serves CLI sessions that never touch the console.
SELECT
  eventid AS event_id,
  eventtime AS event_time,
  -- recipientAccountId is absent on some events; the account of the log file's path is then the one.
  coalesce(recipientaccountid, account) AS account_id,
  awsregion AS region,
  eventsource AS event_source,
  eventname AS event_name,
  coalesce(useridentity.arn, useridentity.principalid, useridentity.username) AS principal,
  sourceipaddress AS source_ip,
  useragent AS user_agent,
  errorcode AS error_code,
  CASE
    WHEN useridentity.type = 'Root'
      THEN 'Root user signed in to the console '
        || CASE WHEN json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'Yes' THEN 'with MFA' ELSE 'without MFA' END
    WHEN useridentity.type = 'IAMUser'
      THEN 'IAM user ' || coalesce(useridentity.username, useridentity.arn, '(unnamed)') || ' signed in to the console '
        || CASE json_extract_scalar(additionaleventdata, '$.MFAUsed')
             WHEN 'Yes' THEN 'with MFA'
             WHEN 'No' THEN 'without MFA'
             ELSE 'without MFA recorded'
           END
    WHEN json_extract_scalar(additionaleventdata, '$.SamlProviderArn') IS NOT NULL
      THEN 'Federated console sign-in as role '
        || coalesce(useridentity.sessioncontext.sessionissuer.username, useridentity.arn, '(unnamed)')
        || ' through SAML provider ' || json_extract_scalar(additionaleventdata, '$.SamlProviderArn')
        || ' (MFA is up to the identity provider; AWS does not record it)'
    WHEN useridentity.sessioncontext.sessionissuer.arn LIKE '%:role/aws-reserved/sso.amazonaws.com/%'
      THEN 'IAM Identity Center console sign-in as role '
        || coalesce(useridentity.sessioncontext.sessionissuer.username, useridentity.arn, '(unnamed)')
        || ' (MFA is up to Identity Center or its identity provider; AWS does not record it)'
    ELSE 'Federated console sign-in as '
      || coalesce(useridentity.sessioncontext.sessionissuer.username, useridentity.arn, useridentity.principalid, '(unnamed)')
      || ' through a sign-in token (MFA depends on how the credentials behind the token were obtained)'
  END AS summary,
  CASE
    WHEN useridentity.type = 'Root' THEN 'high'
    -- Anything but an explicit Yes is treated as no MFA: an IAM user's password alone opened the console.
    WHEN useridentity.type = 'IAMUser' AND coalesce(json_extract_scalar(additionaleventdata, '$.MFAUsed'), '') <> 'Yes'
      THEN 'high'
  END AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND eventsource = 'signin.amazonaws.com'
  AND eventname = 'ConsoleLogin'
  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
