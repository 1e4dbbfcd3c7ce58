// Every field of an AWS answer that trailwatch reads, per operation, in one list. A test holds it against the
// AWS SDK's own model documentation (the doc comments of node_modules/@aws-sdk/client-*/dist-types/models)
// and fails when AWS marks one of them deprecated or retired — the way Organizations announced the retirement
// of `Account.Status` — so trailwatch stays right against AWS as it answers today, not as our fake assumed.

/** A field read only when its replacement is absent (answers recorded before the replacement existed). */
export interface FallbackField {
  field: string;
  /** The current field, read first. */
  replacedBy: string;
}

/** The members of one SDK shape (a TypeScript interface of the client's models) that trailwatch reads. */
export interface ShapeFields {
  /** The SDK interface name, e.g. `Account` or `GetTrailStatusResponse`. */
  shape: string;
  fields: readonly string[];
  fallbacks?: readonly FallbackField[];
}

/** One AWS operation trailwatch calls, and the parts of its answer it reads. */
export interface OperationFields {
  /** The SDK package the client comes from. */
  sdkPackage: string;
  operation: string;
  /** Where the call is made (or, for STS, which SDK provider makes it on trailwatch's behalf). */
  caller: string;
  /** Other files that read the answer's fields (a mapping from the SDK's shapes to trailwatch's records). */
  readers?: readonly string[];
  shapes: readonly ShapeFields[];
}

const ACCOUNT: ShapeFields = {
  shape: 'Account',
  fields: ['Id', 'Name', 'Email', 'State'],
  // Organizations retired `Status` on 2026-09-09; it is read only from answers that carry no `State`.
  fallbacks: [{ field: 'Status', replacedBy: 'State' }],
};

/** The response fields trailwatch reads, per AWS operation. */
export const RESPONSE_FIELDS_READ: readonly OperationFields[] = [
  {
    sdkPackage: '@aws-sdk/client-organizations',
    operation: 'DescribeOrganization',
    caller: 'src/discover/accounts.ts',
    shapes: [
      { shape: 'DescribeOrganizationResponse', fields: ['Organization'] },
      { shape: 'Organization', fields: ['Id', 'MasterAccountId'] },
    ],
  },
  {
    sdkPackage: '@aws-sdk/client-organizations',
    operation: 'ListAccounts',
    caller: 'src/discover/accounts.ts',
    shapes: [{ shape: 'ListAccountsResponse', fields: ['Accounts', 'NextToken'] }, ACCOUNT],
  },
  {
    sdkPackage: '@aws-sdk/client-organizations',
    operation: 'ListAccountsForParent',
    caller: 'src/discover/accounts.ts',
    shapes: [{ shape: 'ListAccountsForParentResponse', fields: ['Accounts', 'NextToken'] }, ACCOUNT],
  },
  {
    sdkPackage: '@aws-sdk/client-organizations',
    operation: 'ListOrganizationalUnitsForParent',
    caller: 'src/discover/accounts.ts',
    shapes: [
      { shape: 'ListOrganizationalUnitsForParentResponse', fields: ['OrganizationalUnits', 'NextToken'] },
      { shape: 'OrganizationalUnit', fields: ['Id'] },
    ],
  },
  {
    sdkPackage: '@aws-sdk/client-sts',
    operation: 'AssumeRole',
    caller: "src/aws/clients.ts (the SDK's fromTemporaryCredentials reads the answer)",
    shapes: [
      { shape: 'AssumeRoleResponse', fields: ['Credentials'] },
      { shape: 'Credentials', fields: ['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'] },
    ],
  },
  {
    sdkPackage: '@aws-sdk/client-ec2',
    operation: 'DescribeRegions',
    caller: 'src/trails/collect.ts',
    shapes: [
      { shape: 'DescribeRegionsResult', fields: ['Regions'] },
      { shape: 'Region', fields: ['RegionName', 'OptInStatus'] },
    ],
  },
  {
    sdkPackage: '@aws-sdk/client-account',
    operation: 'ListRegions',
    caller: 'src/trails/collect.ts',
    shapes: [
      { shape: 'ListRegionsResponse', fields: ['Regions', 'NextToken'] },
      { shape: 'Region', fields: ['RegionName', 'RegionOptStatus'] },
    ],
  },
  {
    sdkPackage: '@aws-sdk/client-cloudtrail',
    operation: 'ListTrails',
    caller: 'src/trails/collect.ts',
    shapes: [
      { shape: 'ListTrailsResponse', fields: ['Trails', 'NextToken'] },
      { shape: 'TrailInfo', fields: ['TrailARN', 'HomeRegion'] },
    ],
  },
  {
    sdkPackage: '@aws-sdk/client-cloudtrail',
    operation: 'DescribeTrails',
    caller: 'src/trails/collect.ts',
    readers: ['src/trails/trail-records.ts'],
    shapes: [
      { shape: 'DescribeTrailsResponse', fields: ['trailList'] },
      {
        shape: 'Trail',
        fields: [
          'Name',
          'TrailARN',
          'HomeRegion',
          'IsMultiRegionTrail',
          'IsOrganizationTrail',
          'IncludeGlobalServiceEvents',
          'S3BucketName',
          'KmsKeyId',
          'LogFileValidationEnabled',
        ],
      },
    ],
  },
  {
    sdkPackage: '@aws-sdk/client-cloudtrail',
    operation: 'GetTrailStatus',
    caller: 'src/trails/collect.ts',
    shapes: [
      {
        shape: 'GetTrailStatusResponse',
        fields: [
          'IsLogging',
          'LatestDeliveryTime',
          'LatestDeliveryError',
          'StartLoggingTime',
          'StopLoggingTime',
        ],
      },
    ],
  },
  {
    sdkPackage: '@aws-sdk/client-cloudtrail',
    operation: 'GetEventSelectors',
    caller: 'src/trails/collect.ts',
    readers: ['src/trails/trail-records.ts'],
    shapes: [
      { shape: 'GetEventSelectorsResponse', fields: ['EventSelectors', 'AdvancedEventSelectors'] },
      {
        shape: 'EventSelector',
        fields: [
          'ReadWriteType',
          'IncludeManagementEvents',
          'ExcludeManagementEventSources',
          'DataResources',
        ],
      },
      { shape: 'DataResource', fields: ['Type'] },
      { shape: 'AdvancedEventSelector', fields: ['Name', 'FieldSelectors'] },
      {
        shape: 'AdvancedFieldSelector',
        fields: ['Field', 'Equals', 'NotEquals', 'StartsWith', 'NotStartsWith', 'EndsWith', 'NotEndsWith'],
      },
    ],
  },
  {
    sdkPackage: '@aws-sdk/client-athena',
    operation: 'StartQueryExecution',
    caller: 'src/engine/athena.ts',
    shapes: [{ shape: 'StartQueryExecutionOutput', fields: ['QueryExecutionId'] }],
  },
  {
    sdkPackage: '@aws-sdk/client-athena',
    operation: 'GetQueryExecution',
    caller: 'src/engine/athena.ts',
    shapes: [
      { shape: 'GetQueryExecutionOutput', fields: ['QueryExecution'] },
      { shape: 'QueryExecution', fields: ['Status', 'Statistics'] },
      { shape: 'QueryExecutionStatus', fields: ['State', 'StateChangeReason', 'AthenaError'] },
      { shape: 'AthenaError', fields: ['ErrorMessage'] },
      { shape: 'QueryExecutionStatistics', fields: ['TotalExecutionTimeInMillis', 'DataScannedInBytes'] },
    ],
  },
  {
    sdkPackage: '@aws-sdk/client-athena',
    operation: 'GetQueryResults',
    caller: 'src/engine/athena.ts',
    readers: ['src/engine/athena-sql.ts'],
    shapes: [
      { shape: 'GetQueryResultsOutput', fields: ['ResultSet', 'NextToken'] },
      { shape: 'ResultSet', fields: ['ResultSetMetadata', 'Rows'] },
      { shape: 'ResultSetMetadata', fields: ['ColumnInfo'] },
      { shape: 'ColumnInfo', fields: ['Name', 'Type'] },
      { shape: 'Row', fields: ['Data'] },
      { shape: 'Datum', fields: ['VarCharValue'] },
    ],
  },
  {
    sdkPackage: '@aws-sdk/client-athena',
    operation: 'StopQueryExecution',
    caller: 'src/engine/athena.ts',
    shapes: [],
  },
  {
    sdkPackage: '@aws-sdk/client-athena',
    operation: 'GetWorkGroup',
    caller: 'src/cli/athena.ts',
    shapes: [
      { shape: 'GetWorkGroupOutput', fields: ['WorkGroup'] },
      { shape: 'WorkGroup', fields: ['State', 'Configuration'] },
      { shape: 'WorkGroupConfiguration', fields: ['ResultConfiguration'] },
      { shape: 'ResultConfiguration', fields: ['OutputLocation'] },
    ],
  },
  {
    sdkPackage: '@aws-sdk/client-glue',
    operation: 'GetTable',
    caller: 'src/engine/athena-sync.ts',
    shapes: [
      { shape: 'GetTableResponse', fields: ['Table'] },
      {
        shape: 'Table',
        // All of them are copied back into UpdateTable's TableInput, which replaces the whole definition.
        fields: [
          'Name',
          'Description',
          'Owner',
          'Retention',
          'StorageDescriptor',
          'PartitionKeys',
          'TableType',
          'ViewOriginalText',
          'ViewExpandedText',
          'TargetTable',
          'Parameters',
          'VersionId',
        ],
      },
    ],
  },
  {
    sdkPackage: '@aws-sdk/client-glue',
    operation: 'UpdateTable',
    caller: 'src/engine/athena-sync.ts',
    shapes: [],
  },
  {
    sdkPackage: '@aws-sdk/client-s3',
    operation: 'PutObject',
    caller: 'src/deliver/s3.ts',
    shapes: [{ shape: 'PutObjectOutput', fields: ['VersionId'] }],
  },
  {
    sdkPackage: '@aws-sdk/client-s3',
    operation: 'CreateMultipartUpload',
    caller: 'src/deliver/s3.ts',
    shapes: [{ shape: 'CreateMultipartUploadOutput', fields: ['UploadId'] }],
  },
  {
    sdkPackage: '@aws-sdk/client-s3',
    operation: 'UploadPart',
    caller: 'src/deliver/s3.ts',
    shapes: [{ shape: 'UploadPartOutput', fields: ['ETag'] }],
  },
  {
    sdkPackage: '@aws-sdk/client-s3',
    operation: 'CompleteMultipartUpload',
    caller: 'src/deliver/s3.ts',
    shapes: [{ shape: 'CompleteMultipartUploadOutput', fields: ['VersionId'] }],
  },
  {
    sdkPackage: '@aws-sdk/client-s3',
    operation: 'AbortMultipartUpload',
    caller: 'src/deliver/s3.ts',
    shapes: [],
  },
  {
    sdkPackage: '@aws-sdk/client-sesv2',
    operation: 'SendEmail',
    caller: "src/deliver/email.ts (nodemailer's SES transport reads the answer)",
    shapes: [{ shape: 'SendEmailResponse', fields: ['MessageId'] }],
  },
];
