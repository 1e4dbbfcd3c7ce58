// The bundled sample organization: five accounts, four regions, and the people and machines that call AWS
// in them on an ordinary day. The generator draws noise from these rosters.
import type { Actor } from './cloudtrail.js';
import {
  USER_AGENTS,
  assumedRoleActor,
  awsAccountActor,
  awsServiceActor,
  federatedUserActor,
  iamUserActor,
  stableId,
} from './cloudtrail.js';

/** The organization id in the S3 org-trail layout. */
export const ORG_ID = 'o-acme12345';

/** The regions the sample trails cover; the first three are the demo config's approved regions. */
export const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'] as const;
/** One of the sample regions. */
export type SampleRegion = (typeof REGIONS)[number];
/** Regions where noise may write; ap-southeast-2 (not approved) only sees read-only noise. */
export const WRITE_REGIONS: readonly string[] = ['us-east-1', 'eu-west-1', 'us-west-2'];

/** The only AMI the demo config approves. */
export const APPROVED_AMI = 'ami-0a1b2c3d4e5f67890';

/** One account of the sample organization. */
export interface SampleAccount {
  id: string;
  name: string;
  /** Short name used in resource names (prod, dev, …). */
  short: string;
  /** Share of the day's noise. */
  weight: number;
}

/** The five accounts of the sample organization. */
export const ACCOUNTS: readonly SampleAccount[] = [
  { id: '111111111111', name: 'acme-management', short: 'mgmt', weight: 0.12 },
  { id: '222222222222', name: 'acme-log-archive', short: 'logs', weight: 0.06 },
  { id: '333333333333', name: 'acme-security', short: 'security', weight: 0.12 },
  { id: '444444444444', name: 'acme-prod', short: 'prod', weight: 0.4 },
  { id: '555555555555', name: 'acme-dev', short: 'dev', weight: 0.3 },
];

/** Account ids by role in the story. */
export const ACCOUNT = {
  management: '111111111111',
  logArchive: '222222222222',
  security: '333333333333',
  prod: '444444444444',
  dev: '555555555555',
} as const;

/** What a caller does all day, which decides the calls it makes. */
export type ActorKind =
  | 'human'
  | 'admin'
  | 'ci'
  | 'app'
  | 'auditor'
  | 'config'
  | 'autoscaling'
  | 'aws-service'
  | 'trail-service'
  | 'cross-account';

/** A caller of the noise roster. */
export interface RosterEntry {
  actor: Actor;
  kind: ActorKind;
  weight: number;
  /** Humans work office hours; machines call around the clock. */
  hours: 'work' | 'always';
}

/** Public source addresses of the company's people and machines. */
export const IPS = {
  office: ['81.2.69.142', '81.2.69.143'],
  homes: ['92.40.180.17', '73.162.45.201', '86.143.12.77', '24.56.213.9'],
  githubRunners: ['4.227.88.19', '20.102.35.142', '52.176.4.210'],
  prodNat: ['3.91.33.27', '54.210.117.8', '34.244.19.5'],
  devNat: ['18.207.41.96', '52.31.204.60'],
} as const;

const SSO = 'aws-reserved/sso.amazonaws.com/';

/** The name IAM Identity Center gives a permission set's role in an account. */
export function ssoRole(permissionSet: string, accountId: string): string {
  return `AWSReservedSSO_${permissionSet}_${stableId('', `${accountId}:${permissionSet}`, 16).toLowerCase()}`;
}

function people(accountId: string, permissionSet: string, names: readonly string[], kind: ActorKind): RosterEntry[] {
  return names.map((name, i) => ({
    actor: assumedRoleActor(accountId, ssoRole(permissionSet, accountId), `${name}@acme.example`, {
      ip: i % 3 === 2 ? IPS.homes[i % IPS.homes.length]! : IPS.office[i % IPS.office.length]!,
      userAgent: i % 2 === 0 ? USER_AGENTS.cliMac : USER_AGENTS.console,
      path: SSO,
      console: i % 2 === 1,
    }),
    kind,
    weight: 1,
    hours: 'work',
  }));
}

function machines(accountId: string, short: string): RosterEntry[] {
  const nat = short === 'dev' ? IPS.devNat : IPS.prodNat;
  return [
    {
      actor: assumedRoleActor(accountId, 'github-actions-deploy', 'GitHubActions', {
        ip: IPS.githubRunners[0]!,
        userAgent: USER_AGENTS.terraform,
      }),
      kind: 'ci',
      weight: 3,
      hours: 'work',
    },
    {
      actor: assumedRoleActor(accountId, `${short}-orders-api-task`, stableId('', `${short}:task`, 32).toLowerCase(), {
        ip: nat[0]!,
        userAgent: USER_AGENTS.sdkJs,
      }),
      kind: 'app',
      weight: 6,
      hours: 'always',
    },
    {
      actor: assumedRoleActor(accountId, `${short}-orders-processor-role`, `${short}-orders-processor`, {
        ip: nat[1]!,
        userAgent: USER_AGENTS.boto3,
      }),
      kind: 'app',
      weight: 4,
      hours: 'always',
    },
    {
      actor: assumedRoleActor(accountId, 'grafana-cloudwatch', 'grafana', {
        ip: nat[0]!,
        userAgent: USER_AGENTS.sdkGo,
      }),
      kind: 'auditor',
      weight: 2,
      hours: 'always',
    },
    {
      actor: assumedRoleActor(accountId, 'AWSServiceRoleForAutoScaling', 'AutoScaling', {
        ip: 'autoscaling.amazonaws.com',
        userAgent: 'autoscaling.amazonaws.com',
        path: 'aws-service-role/autoscaling.amazonaws.com/',
        invokedBy: 'autoscaling.amazonaws.com',
      }),
      kind: 'autoscaling',
      weight: 1,
      hours: 'always',
    },
  ];
}

function shared(accountId: string): RosterEntry[] {
  return [
    {
      actor: assumedRoleActor(accountId, 'AWSServiceRoleForConfig', 'AWSConfig-Describe', {
        ip: 'config.amazonaws.com',
        userAgent: 'config.amazonaws.com',
        path: 'aws-service-role/config.amazonaws.com/',
        invokedBy: 'config.amazonaws.com',
      }),
      kind: 'config',
      weight: 2,
      hours: 'always',
    },
    {
      actor: assumedRoleActor(accountId, 'trailwatch-audit', 'trailwatch', {
        ip: IPS.githubRunners[1]!,
        userAgent: USER_AGENTS.sdkJs,
      }),
      kind: 'auditor',
      weight: 0.6,
      hours: 'always',
    },
    { actor: awsServiceActor('lambda.amazonaws.com'), kind: 'aws-service', weight: 1, hours: 'always' },
    { actor: awsServiceActor('ecs-tasks.amazonaws.com'), kind: 'aws-service', weight: 0.6, hours: 'always' },
  ];
}

/** The callers of each account on an ordinary day, by account id. */
export function roster(accountId: string): RosterEntry[] {
  switch (accountId) {
    case ACCOUNT.management:
      return [
        ...people(accountId, 'AdministratorAccess', ['maria.garcia', 'tom.baker'], 'admin'),
        ...shared(accountId),
        {
          actor: federatedUserActor(accountId, 'billing-export', 'cost-reporter', {
            ip: IPS.office[0],
            userAgent: USER_AGENTS.boto3,
          }),
          kind: 'auditor',
          weight: 1,
          hours: 'work',
        },
      ];
    case ACCOUNT.logArchive:
      return [
        ...shared(accountId),
        { actor: awsServiceActor('cloudtrail.amazonaws.com'), kind: 'trail-service', weight: 4, hours: 'always' },
        ...people(accountId, 'ReadOnlyAccess', ['priya.shah'], 'human'),
      ];
    case ACCOUNT.security:
      return [
        ...people(accountId, 'SecurityAudit', ['priya.shah', 'lee.wong', 'sam.okafor'], 'auditor'),
        ...shared(accountId),
        {
          actor: awsAccountActor(ACCOUNT.prod, stableId('AROA', `${ACCOUNT.prod}:prod-orders-api-task`), {
            ip: 'AWS Internal',
            userAgent: USER_AGENTS.awsInternal,
          }),
          kind: 'cross-account',
          weight: 2,
          hours: 'always',
        },
      ];
    case ACCOUNT.prod:
      return [
        ...people(accountId, 'ReadOnlyAccess', ['alice.chen', 'bob.martin', 'carol.diaz', 'dev.patel'], 'human'),
        ...people(accountId, 'PowerUserAccess', ['erin.walsh'], 'human'),
        ...machines(accountId, 'prod'),
        ...shared(accountId),
        {
          actor: iamUserActor(accountId, 'legacy-reporting', { ip: IPS.office[1], userAgent: USER_AGENTS.boto3 }),
          kind: 'auditor',
          weight: 0.5,
          hours: 'work',
        },
      ];
    default:
      return [
        ...people(
          accountId,
          'DeveloperAccess',
          ['alice.chen', 'bob.martin', 'carol.diaz', 'dev.patel', 'frank.li', 'gina.rossi'],
          'human',
        ),
        ...machines(accountId, 'dev'),
        ...shared(accountId),
        {
          actor: iamUserActor(accountId, 'build-bot', { ip: IPS.githubRunners[2], userAgent: USER_AGENTS.cli }),
          kind: 'ci',
          weight: 1.5,
          hours: 'always',
        },
      ];
  }
}
