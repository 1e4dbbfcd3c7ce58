import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Holds the daily workflow and the runner role's trust policy together: the subject GitHub will present for
// the workflow's job must be one the trust policy accepts, and nothing outside that repository may be.
// GitHub's default subject claim: a job that names an `environment:` presents
// `repo:<owner>/<repo>:environment:<name>`; without one, a push or schedule run presents
// `repo:<owner>/<repo>:ref:<ref>` (a schedule runs on the default branch).

const PROVIDER = 'token.actions.githubusercontent.com';

interface Statement {
  Effect: string;
  Action: string | string[];
  Principal?: { Federated?: string };
  Condition?: Record<string, Record<string, string | string[]>>;
}

interface Job {
  environment?: string | { name: string };
  steps?: { uses?: string; with?: Record<string, unknown> }[];
}

async function trustPolicy(): Promise<Statement[]> {
  const doc = JSON.parse(await readFile('iam/github-oidc-trust.json', 'utf8')) as { Statement: Statement[] };
  return doc.Statement;
}

async function workflow(): Promise<{ on: Record<string, unknown>; jobs: Record<string, Job> }> {
  return parse(await readFile('.github/workflows/daily-audit.yml', 'utf8')) as {
    on: Record<string, unknown>;
    jobs: Record<string, Job>;
  };
}

/** IAM's StringLike: `*` any run of characters, `?` one character, everything else literal. */
function like(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}

/** Whether the trust policy lets a GitHub OIDC token with these claims assume the role. */
function accepts(statements: Statement[], claims: { sub: string; aud: string }): boolean {
  return statements.some((s) => {
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    if (s.Effect !== 'Allow' || !actions.includes('sts:AssumeRoleWithWebIdentity')) return false;
    if (!s.Principal?.Federated?.endsWith(`:oidc-provider/${PROVIDER}`)) return false;
    return Object.entries(s.Condition ?? {}).every(([operator, keys]) =>
      Object.entries(keys).every(([key, wanted]) => {
        const claim =
          key === `${PROVIDER}:sub` ? claims.sub : key === `${PROVIDER}:aud` ? claims.aud : undefined;
        if (claim === undefined) return false;
        const values = Array.isArray(wanted) ? wanted : [wanted];
        if (operator === 'StringEquals') return values.includes(claim);
        if (operator === 'StringLike') return values.some((v) => like(v, claim));
        throw new Error(`the test does not evaluate the condition operator ${operator}`);
      }),
    );
  });
}

/** The repository the trust policy names (`repo:<owner>/<repo>:…`), which the workflow lives in. */
function repositoryOf(statements: Statement[]): string {
  const subjects = statements.flatMap((s) =>
    Object.values(s.Condition ?? {}).flatMap((keys) => {
      const sub = keys[`${PROVIDER}:sub`];
      return sub === undefined ? [] : Array.isArray(sub) ? sub : [sub];
    }),
  );
  const repos = new Set(subjects.map((sub) => /^repo:([^:]+)/.exec(sub)?.[1] ?? ''));
  expect([...repos]).toHaveLength(1);
  return [...repos][0] ?? '';
}

/** The subject the job presents: from its environment, else from the ref the schedule runs on. */
function subjectOf(job: Job, repository: string, defaultBranch = 'main'): string {
  const environment = typeof job.environment === 'string' ? job.environment : job.environment?.name;
  if (environment) return `repo:${repository}:environment:${environment}`;
  return `repo:${repository}:ref:refs/heads/${defaultBranch}`;
}

describe('the daily workflow signs in to AWS through the trust policy it ships with', () => {
  it('has every job that takes AWS credentials present a subject the trust policy accepts', async () => {
    const statements = await trustPolicy();
    const repository = repositoryOf(statements);
    const wf = await workflow();
    const signing = Object.entries(wf.jobs).filter(([, job]) =>
      (job.steps ?? []).some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials')),
    );
    expect(signing.map(([name]) => name)).toEqual(['audit']);
    for (const [name, job] of signing) {
      const sub = subjectOf(job, repository);
      expect(sub, name).toBe(`repo:${repository}:environment:audit`);
      expect(accepts(statements, { sub, aud: 'sts.amazonaws.com' }), sub).toBe(true);
    }
  });

  it('accepts nothing broader than that repository and environment', async () => {
    const statements = await trustPolicy();
    const repository = repositoryOf(statements);
    const [owner] = repository.split('/');
    const refused = [
      `repo:${repository}:ref:refs/heads/main`,
      `repo:${repository}:ref:refs/heads/feature`,
      `repo:${repository}:pull_request`,
      `repo:${repository}:environment:production`,
      `repo:${repository}:environment:audit-2`,
      `repo:${repository}-fork:environment:audit`,
      `repo:${owner ?? ''}/other:environment:audit`,
      `repo:someone-else/${repository.split('/')[1] ?? ''}:environment:audit`,
    ];
    for (const sub of refused)
      expect(accepts(statements, { sub, aud: 'sts.amazonaws.com' }), sub).toBe(false);
    // Another audience (a token minted for something else) is refused even with the right subject.
    expect(accepts(statements, { sub: `repo:${repository}:environment:audit`, aud: 'other' })).toBe(false);
    // No pattern at all: the subject is matched exactly.
    const conditions = statements.flatMap((s) => Object.entries(s.Condition ?? {}));
    expect(conditions.filter(([op]) => op !== 'StringEquals').map(([op]) => op)).toEqual([]);
    for (const [, keys] of conditions) {
      for (const value of Object.values(keys).flat()) expect(value).not.toMatch(/[*?]/);
    }
  });

  it('derives a branch subject for a job without an environment, which this policy refuses', async () => {
    const statements = await trustPolicy();
    const repository = repositoryOf(statements);
    const sub = subjectOf({}, repository);
    expect(sub).toBe(`repo:${repository}:ref:refs/heads/main`);
    expect(accepts(statements, { sub, aud: 'sts.amazonaws.com' })).toBe(false);
    expect(subjectOf({ environment: { name: 'audit' } }, repository)).toBe(
      `repo:${repository}:environment:audit`,
    );
  });

  it('evaluates StringLike as IAM does (so a wildcard policy would be caught above)', () => {
    const wide: Statement[] = [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${PROVIDER}` },
        Condition: {
          StringEquals: { [`${PROVIDER}:aud`]: 'sts.amazonaws.com' },
          StringLike: { [`${PROVIDER}:sub`]: 'repo:acme/*' },
        },
      },
    ];
    expect(accepts(wide, { sub: 'repo:acme/other:environment:audit', aud: 'sts.amazonaws.com' })).toBe(true);
    expect(accepts(wide, { sub: 'repo:evil/x:environment:audit', aud: 'sts.amazonaws.com' })).toBe(false);
  });
});
