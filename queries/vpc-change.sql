-- vpc-change: the network's shape changed: VPCs, subnets, routes, network ACLs, gateways, peering, ClassicLink.
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
    || coalesce(' ' || coalesce(
         json_extract_scalar(requestparameters, '$.routeTableId'),
         json_extract_scalar(requestparameters, '$.networkAclId'),
         json_extract_scalar(requestparameters, '$.associationId'),
         json_extract_scalar(requestparameters, '$.subnetId'),
         json_extract_scalar(requestparameters, '$.internetGatewayId'),
         json_extract_scalar(requestparameters, '$.egressOnlyInternetGatewayId'),
         json_extract_scalar(requestparameters, '$.natGatewayId'),
         json_extract_scalar(requestparameters, '$.vpnGatewayId'),
         json_extract_scalar(requestparameters, '$.customerGatewayId'),
         json_extract_scalar(requestparameters, '$.vpcPeeringConnectionId'),
         json_extract_scalar(requestparameters, '$.transitGatewayAttachmentId'),
         json_extract_scalar(requestparameters, '$.vpcId')), '')
    -- Routes and ACL entries: the CIDR and where it goes or what it allows.
    || coalesce(' ' || json_extract_scalar(requestparameters, '$.ruleAction'), '')
    || coalesce(' ' || coalesce(json_extract_scalar(requestparameters, '$.destinationCidrBlock'),
                                json_extract_scalar(requestparameters, '$.destinationIpv6CidrBlock'),
                                json_extract_scalar(requestparameters, '$.cidrBlock'),
                                json_extract_scalar(requestparameters, '$.ipv6CidrBlock')), '')
    || CASE
         WHEN eventname IN ('CreateRoute', 'ReplaceRoute')
           THEN coalesce(' via ' || coalesce(json_extract_scalar(requestparameters, '$.gatewayId'),
                                             json_extract_scalar(requestparameters, '$.natGatewayId'),
                                             json_extract_scalar(requestparameters, '$.transitGatewayId'),
                                             json_extract_scalar(requestparameters, '$.vpcPeeringConnectionId'),
                                             json_extract_scalar(requestparameters, '$.networkInterfaceId'),
                                             json_extract_scalar(requestparameters, '$.instanceId')), '')
         ELSE ''
       END
    || CASE WHEN errorcode IS NULL THEN '' ELSE ' (attempt failed: ' || errorcode || ')' END AS summary,
  CAST(NULL AS varchar) AS risk,
  CAST(NULL AS varchar) AS tier,
  ARRAY[eventid] AS event_ids
FROM cloudtrail_logs
WHERE eventtime >= ?
  AND eventtime < ?
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname IN (
    -- Routes and route tables (CIS 4.13).
    'CreateRoute', 'DeleteRoute', 'ReplaceRoute',
    'CreateRouteTable', 'DeleteRouteTable', 'ReplaceRouteTableAssociation',
    'AssociateRouteTable', 'DisassociateRouteTable',
    -- Network ACLs and their entries (CIS 4.11).
    'CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry',
    'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation',
    -- Subnets: a subnet that maps public IPs on launch puts every new instance on the internet.
    'CreateSubnet', 'DeleteSubnet', 'ModifySubnetAttribute',
    -- VPCs, peering and ClassicLink (CIS 4.14).
    'CreateVpc', 'CreateDefaultVpc', 'DeleteVpc', 'ModifyVpcAttribute',
    'CreateVpcPeeringConnection', 'AcceptVpcPeeringConnection', 'DeleteVpcPeeringConnection',
    'RejectVpcPeeringConnection',
    'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'EnableVpcClassicLink', 'DisableVpcClassicLink',
    -- Gateways: the ways in and out of a VPC (CIS 4.12).
    'CreateInternetGateway', 'DeleteInternetGateway', 'AttachInternetGateway', 'DetachInternetGateway',
    'CreateEgressOnlyInternetGateway', 'DeleteEgressOnlyInternetGateway',
    'CreateNatGateway', 'DeleteNatGateway',
    'CreateCustomerGateway', 'DeleteCustomerGateway',
    'CreateVpnGateway', 'DeleteVpnGateway', 'AttachVpnGateway', 'DetachVpnGateway',
    -- Transit gateway attachments join this VPC to other networks and accounts.
    'CreateTransitGatewayVpcAttachment', 'AcceptTransitGatewayVpcAttachment',
    'DeleteTransitGatewayVpcAttachment', 'RejectTransitGatewayVpcAttachment',
    'CreateTransitGatewayPeeringAttachment', 'AcceptTransitGatewayPeeringAttachment',
    'DeleteTransitGatewayPeeringAttachment'
  )
