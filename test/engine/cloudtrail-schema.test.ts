import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../src/engine/duckdb.js';
import { fillRecord } from '../../src/rules/test-cases.js';
import { silentLogger } from '../../src/shared/log.js';

// The columns of the CloudTrail table as the AWS Athena documentation creates it ("Creating the table for
// CloudTrail logs in Athena using manual partitioning"), with Hive types as written there.
const ATHENA_COLUMNS: [string, string][] = [
  ['eventversion', 'string'],
  [
    'useridentity',
    'struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,' +
      'onbehalfof:struct<userid:string,identitystorearn:string>,' +
      'sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,' +
      'sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,' +
      'sourceidentity:string,ec2roledelivery:string,' +
      'webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>',
  ],
  ['eventtime', 'string'],
  ['eventsource', 'string'],
  ['eventname', 'string'],
  ['awsregion', 'string'],
  ['sourceipaddress', 'string'],
  ['useragent', 'string'],
  ['errorcode', 'string'],
  ['errormessage', 'string'],
  ['requestparameters', 'string'],
  ['responseelements', 'string'],
  ['additionaleventdata', 'string'],
  ['requestid', 'string'],
  ['eventid', 'string'],
  ['readonly', 'string'],
  ['resources', 'array<struct<arn:string,accountid:string,type:string>>'],
  ['eventtype', 'string'],
  ['apiversion', 'string'],
  ['recipientaccountid', 'string'],
  ['serviceeventdetails', 'string'],
  ['sharedeventid', 'string'],
  ['vpcendpointid', 'string'],
  ['vpcendpointaccountid', 'string'],
  ['eventcategory', 'string'],
  ['addendum', 'struct<reason:string,updatedfields:string,originalrequestid:string,originaleventid:string>'],
  ['sessioncredentialfromconsole', 'string'],
  ['edgedevicedetails', 'string'],
  ['tlsdetails', 'struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>'],
];

/** Turns a DuckDB type into the Hive spelling Athena's DDL uses, to compare like with like. */
function toHive(duck: string): string {
  return duck
    .replace(/"/g, '')
    .replace(/VARCHAR/g, 'string')
    .replace(/MAP\(string, string\)/g, 'map<string,string>')
    .replace(/STRUCT\(/g, 'struct<')
    .replace(/\)\[\]/g, '>[]')
    .replace(/\)/g, '>')
    .replace(/ /g, '')
    .replace(/,/g, ',')
    .replace(/([a-z0-9_]+)(string|struct<|map<)/g, '$1:$2')
    .replace(/^(struct<.*>)\[\]$/, 'array<$1>');
}

describe('the DuckDB cloudtrail_logs relation', () => {
  it('has every column of the Athena CloudTrail table, with the same name and a compatible type', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tw-schema-'));
    const engine = await openDuckDbEngine({ logs: dir, log: silentLogger, progress: false });
    try {
      await engine.stage({ since: null, until: null });
      const { rows } = await engine.run('DESCRIBE cloudtrail_logs', []);
      const actual = new Map(rows.map((r) => [String(r.column_name), toHive(String(r.column_type))]));
      for (const [name, type] of ATHENA_COLUMNS) {
        expect.soft(actual.get(name), name).toBe(type);
      }
      // Partition columns derived from the S3 key, and Athena's "$path" pseudo-column.
      expect(actual.get('account')).toBe('string');
      expect(actual.get('region')).toBe('string');
      expect(actual.get('day')).toBe('string');
      expect(actual.get('$path')).toBe('string');
    } finally {
      await engine.close();
    }
  });
});

describe('queries/cloudtrail-table.sql (the Athena DDL)', () => {
  it('declares every column of the table, with the same types the engine exposes', async () => {
    const { readFile } = await import('node:fs/promises');
    const { PROJECT_ROOT } = await import('../../src/shared/version.js');
    const ddl = (await readFile(join(PROJECT_ROOT, 'queries', 'cloudtrail-table.sql'), 'utf8'))
      .split('\n')
      .filter((l) => !l.trim().startsWith('--'))
      .join(' ')
      .toLowerCase()
      .replace(/\s+/g, '')
      .replace(/:/g, ':');
    for (const [name, type] of ATHENA_COLUMNS) expect.soft(ddl, name).toContain(`${name}${type}`);
    expect(ddl).toContain('partitionedby(accountstring,regionstring,daystring)');
  });
});

describe('resources[] as CloudTrail writes it', () => {
  it('reads ARN, accountId and type whatever their case, as Athena does; a non-array is an empty list', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tw-resources-'));
    const folder = join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2026', '11', '20');
    await mkdir(folder, { recursive: true });
    const key = 'arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-aaaa-bbbb-cccc-000000000001';
    const records = [
      // CloudTrail's own spelling: ARN in capitals.
      { resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: key }] },
      // A log pipeline that lower-cased or re-cased the keys.
      { resources: [{ arn: 'arn:aws:s3:::lower', AccountID: '111122223333', Type: 'AWS::S3::Bucket' }] },
      { resources: { ARN: 'not-an-array' } },
      {},
    ].map((fields, i) =>
      fillRecord({ eventSource: 'kms.amazonaws.com', eventName: 'DisableKey', ...fields }, i + 1),
    );
    await writeFile(
      join(folder, '111122223333_CloudTrail_us-east-1_20261120T1200Z_res.json.gz'),
      gzipSync(JSON.stringify({ Records: records })),
    );
    const engine = await openDuckDbEngine({ logs: dir, log: silentLogger, progress: false });
    try {
      const stage = await engine.stage({ since: null, until: null }, ['resources']);
      expect(stage.errors).toEqual([]);
      const { rows } = await engine.run(
        `SELECT eventid, cardinality(resources) AS n, element_at(resources, 1).arn AS arn,
                element_at(resources, 1).accountid AS account, element_at(resources, 1).type AS type
         FROM cloudtrail_logs ORDER BY eventid`,
        [],
      );
      expect(rows.map((r) => [r.n === null ? null : Number(r.n), r.arn, r.account, r.type])).toEqual([
        [1, key, '111122223333', 'AWS::KMS::Key'],
        [1, 'arn:aws:s3:::lower', '111122223333', 'AWS::S3::Bucket'],
        [0, null, null, null],
        [null, null, null, null],
      ]);
    } finally {
      await engine.close();
    }
  });
});

describe('a struct column staged with only the sub-fields the rules name', () => {
  it('keeps those sub-fields with their values, and a query naming another one fails instead of reading NULL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tw-subfields-'));
    const folder = join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2026', '11', '20');
    await mkdir(folder, { recursive: true });
    const record = fillRecord(
      {
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateUser',
        userIdentity: {
          type: 'AssumedRole',
          arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice',
          accessKeyId: 'ASIAEXAMPLE',
          sessionContext: {
            sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/Admin', userName: 'Admin' },
            attributes: { mfaAuthenticated: 'true' },
          },
        },
      },
      1,
    );
    await writeFile(
      join(folder, '111122223333_CloudTrail_us-east-1_20261120T1200Z_sub.json.gz'),
      gzipSync(JSON.stringify({ Records: [record] })),
    );
    const engine = await openDuckDbEngine({ logs: dir, log: silentLogger, progress: false });
    try {
      const stage = await engine.stage({ since: null, until: null }, [
        'useridentity',
        'useridentity.arn',
        'useridentity.sessioncontext.sessionissuer',
      ]);
      expect(stage.errors).toEqual([]);
      const { rows } = await engine.run(
        `SELECT useridentity.arn AS arn, useridentity.sessioncontext.sessionissuer.arn AS issuer,
                useridentity.sessioncontext.sessionissuer.username AS issuer_name
         FROM cloudtrail_logs`,
        [],
      );
      expect(rows).toEqual([
        {
          arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice',
          issuer: 'arn:aws:iam::111122223333:role/Admin',
          issuer_name: 'Admin',
        },
      ]);
      const described = await engine.run('DESCRIBE cloudtrail_logs', []);
      const type = toHive(String(described.rows.find((r) => r.column_name === 'useridentity')?.column_type));
      expect(type).toBe(
        'struct<arn:string,sessioncontext:struct<sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>>>',
      );
      await expect(engine.run('SELECT useridentity.accesskeyid FROM cloudtrail_logs', [])).rejects.toThrow(
        /accesskeyid/i,
      );
      // A misspelt path below a struct keeps that struct whole: staging works, the query names the field.
      const misspelt = await engine.stage({ since: null, until: null }, [
        'useridentity',
        'useridentity.sessioncontext.sessionisuer.arn',
      ]);
      expect(misspelt.errors).toEqual([]);
      expect(misspelt.events).toBe(1);
      await expect(
        engine.run('SELECT useridentity.sessioncontext.sessionisuer.arn FROM cloudtrail_logs', []),
      ).rejects.toThrow(/sessionisuer/i);
      const kept = await engine.run(
        'SELECT useridentity.sessioncontext.sessionissuer.arn AS arn FROM cloudtrail_logs',
        [],
      );
      expect(kept.rows).toEqual([{ arn: 'arn:aws:iam::111122223333:role/Admin' }]);
    } finally {
      await engine.close();
    }
  });
});
