// The CloudTrail table as AWS documents it for Athena, described once. The DuckDB engine derives from it
// both the camelCase shape it reads from the JSON files and the lower-case relation the rules query.

/** A field of the CloudTrail record: a string, a struct of fields, a string map, or an array of structs. */
export type FieldSpec =
  | { name: string; kind: 'string' }
  | { name: string; kind: 'struct'; fields: FieldSpec[] }
  | { name: string; kind: 'map' }
  | { name: string; kind: 'array'; of: FieldSpec[] };

const s = (name: string): FieldSpec => ({ name, kind: 'string' });
const struct = (name: string, fields: FieldSpec[]): FieldSpec => ({ name, kind: 'struct', fields });

/**
 * The columns of the Athena CloudTrail table, in the documented order. Objects that vary per event
 * (requestParameters, responseElements, additionalEventData, serviceEventDetails) are strings holding JSON.
 */
export const CLOUDTRAIL_FIELDS: FieldSpec[] = [
  s('eventVersion'),
  struct('userIdentity', [
    s('type'),
    s('principalId'),
    s('arn'),
    s('accountId'),
    s('invokedBy'),
    s('accessKeyId'),
    s('userName'),
    struct('onBehalfOf', [s('userId'), s('identityStoreArn')]),
    struct('sessionContext', [
      struct('attributes', [s('mfaAuthenticated'), s('creationDate')]),
      struct('sessionIssuer', [s('type'), s('principalId'), s('arn'), s('accountId'), s('userName')]),
      s('sourceIdentity'),
      s('ec2RoleDelivery'),
      struct('webIdFederationData', [s('federatedProvider'), { name: 'attributes', kind: 'map' }]),
    ]),
  ]),
  s('eventTime'),
  s('eventSource'),
  s('eventName'),
  s('awsRegion'),
  s('sourceIPAddress'),
  s('userAgent'),
  s('errorCode'),
  s('errorMessage'),
  s('requestParameters'),
  s('responseElements'),
  s('additionalEventData'),
  s('requestID'),
  s('eventID'),
  s('readOnly'),
  { name: 'resources', kind: 'array', of: [s('arn'), s('accountId'), s('type')] },
  s('eventType'),
  s('apiVersion'),
  s('recipientAccountId'),
  s('serviceEventDetails'),
  s('sharedEventID'),
  s('vpcEndpointId'),
  s('vpcEndpointAccountId'),
  s('eventCategory'),
  struct('addendum', [s('reason'), s('updatedFields'), s('originalRequestID'), s('originalEventID')]),
  s('sessionCredentialFromConsole'),
  s('edgeDeviceDetails'),
  struct('tlsDetails', [s('tlsVersion'), s('cipherSuite'), s('clientProvidedHostHeader')]),
];

/** Partition columns derived from the S3 path, as the Athena table's partition projection defines them. */
export const PARTITION_COLUMNS = ['account', 'region', 'day'] as const;

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The DuckDB type of a field, with names as given (camelCase to read JSON) or lower-cased (Athena's). */
export function duckType(field: FieldSpec, lower: boolean): string {
  const name = (f: FieldSpec) => quote(lower ? f.name.toLowerCase() : f.name);
  switch (field.kind) {
    case 'string':
      return 'VARCHAR';
    case 'map':
      return 'MAP(VARCHAR, VARCHAR)';
    case 'struct':
      return `STRUCT(${field.fields.map((f) => `${name(f)} ${duckType(f, lower)}`).join(', ')})`;
    case 'array':
      return `STRUCT(${field.of.map((f) => `${name(f)} ${duckType(f, lower)}`).join(', ')})[]`;
  }
}

/** Every column name of the table, lower-case as Athena has them. */
export const CLOUDTRAIL_COLUMNS: string[] = CLOUDTRAIL_FIELDS.map((f) => f.name.toLowerCase());

/**
 * A struct keeping only the sub-fields named by `paths` (lower-case, below the struct); a path ending on a
 * struct keeps all of it. When none of the named sub-fields exists, the struct is kept whole, so a query
 * naming a misspelt field fails with the binder error that names it (an empty STRUCT() would fail staging).
 */
function pruned(field: FieldSpec, paths: readonly string[]): FieldSpec {
  if (field.kind !== 'struct') return field;
  const fields = field.fields.flatMap((child) => {
    const name = child.name.toLowerCase();
    if (paths.includes(name)) return [child];
    const below = paths.filter((p) => p.startsWith(`${name}.`)).map((p) => p.slice(name.length + 1));
    return below.length > 0 ? [pruned(child, below)] : [];
  });
  return fields.length > 0 ? { ...field, fields } : field;
}

/**
 * The fields to read: all of them, or only those whose lower-case column name is in `columns`. A struct
 * column with dotted paths in `columns` (`useridentity.arn`) keeps only those sub-fields.
 */
function selected(columns?: ReadonlySet<string>): FieldSpec[] {
  if (!columns) return CLOUDTRAIL_FIELDS;
  return CLOUDTRAIL_FIELDS.filter((f) => columns.has(f.name.toLowerCase())).map((f) => {
    const prefix = `${f.name.toLowerCase()}.`;
    const paths = [...columns].filter((c) => c.startsWith(prefix)).map((c) => c.slice(prefix.length));
    return paths.length > 0 ? pruned(f, paths) : f;
  });
}

/**
 * The `columns` type of read_json for a CloudTrail file: `{"Records": [record, ...]}`. Declaring only the
 * fields the rules use lets the reader skip the others (measured: a third faster on 1M events). Arrays of
 * structs are read as JSON: their keys are matched without regard to case in athenaProjection.
 */
export function recordsColumnType(columns?: ReadonlySet<string>): string {
  return `STRUCT(${selected(columns)
    .map((f) => `${quote(f.name)} ${f.kind === 'array' ? 'JSON' : duckType(f, false)}`)
    .join(', ')})[]`;
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * An array of structs from its JSON, each field found by its name in any case. CloudTrail writes
 * `resources[].ARN` in capitals beside `accountId` and `type`, and Athena's JSON reader matches keys without
 * regard to case; DuckDB's matches them exactly, so a declared `arn` would read NULL for every resource.
 */
function caseInsensitiveArray(source: string, field: Extract<FieldSpec, { kind: 'array' }>): string {
  const element = `{${field.of
    .map((f) => {
      const key = `list_filter(json_keys(e), lambda k: lower(k) = ${sqlString(f.name.toLowerCase())})[1]`;
      return `${sqlString(f.name.toLowerCase())}: e ->> ${key}`;
    })
    .join(', ')}}`;
  // A value that is not an array gives an empty list rather than failing the file's read.
  return `CAST(list_transform(system.main.json_extract(${source}, '$[*]'), lambda e: ${element}) AS ${duckType(field, true)})`;
}

/** SELECT expressions that expose a record `r` under Athena's lower-case names and types. */
export function athenaProjection(record: string, columns?: ReadonlySet<string>): string[] {
  return selected(columns).map((f) => {
    const source = `${record}.${quote(f.name)}`;
    const target = quote(f.name.toLowerCase());
    if (f.kind === 'string') return `${source} AS ${target}`;
    if (f.kind === 'array') return `${caseInsensitiveArray(source, f)} AS ${target}`;
    return `CAST(${source} AS ${duckType(f, true)}) AS ${target}`;
  });
}
