// Account discovery: Organizations ListAccounts (every page), or the accounts under configured OUs (nested
// OUs included), or a static list from the config; then the include/exclude lists. An account's lifecycle
// comes from `State` (Organizations retired `Status` on 2026-09-09; it is read only when `State` is absent,
// as in answers recorded before then). ACTIVE accounts are audited; every other state is kept and named as
// not audited, never dropped.
import {
  DescribeOrganizationCommand,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { Config } from '../config/schema.js';
import { awsSection, type ClientFactory } from '../aws/clients.js';
import { classifyAwsError } from '../aws/errors.js';
import type { ErrorCode, RunErrorEntry } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';

/** An account to audit. */
export interface DiscoveredAccount {
  id: string;
  name: string | null;
  email?: string | null;
  /**
   * The account's state in Organizations (`State`, else the retired `Status`; UNKNOWN when neither is
   * there), or STATIC for an account listed in the config.
   */
  status: string;
  /** The OU (or root) it was found under, when discovered by OU. */
  ou?: string | null;
}

/** The accounts to audit, and what could not be listed. */
export interface Discovery {
  accounts: DiscoveredAccount[];
  /** Accounts within the filters that are not audited because of their state (SUSPENDED, CLOSED, …). */
  notActive?: DiscoveredAccount[];
  errors: RunErrorEntry[];
  organizationId: string | null;
  managementAccountId: string | null;
}

function fromOrganizations(account: Account, ou: string | null): DiscoveredAccount | null {
  if (!account.Id) return null;
  return {
    id: account.Id,
    name: account.Name ?? null,
    email: account.Email ?? null,
    status: account.State ?? account.Status ?? 'UNKNOWN',
    ou,
  };
}

async function accountsUnder(
  client: OrganizationsClient,
  parentId: string,
  out: DiscoveredAccount[],
  seen: Set<string>,
): Promise<void> {
  if (seen.has(parentId)) return;
  seen.add(parentId);
  for await (const page of paginateListAccountsForParent({ client }, { ParentId: parentId })) {
    for (const account of page.Accounts ?? []) {
      const found = fromOrganizations(account, parentId);
      if (found) out.push(found);
    }
  }
  const children: string[] = [];
  for await (const page of paginateListOrganizationalUnitsForParent({ client }, { ParentId: parentId })) {
    for (const ou of page.OrganizationalUnits ?? []) if (ou.Id) children.push(ou.Id);
  }
  for (const child of children) await accountsUnder(client, child, out, seen);
}

/** The account states trailwatch knows and does not audit (AWS cannot be audited through them, or not yet). */
export const NOT_AUDITED_STATES = ['SUSPENDED', 'PENDING_CLOSURE', 'PENDING_ACTIVATION', 'CLOSED'] as const;

/** An account state trailwatch knows and does not audit. */
export type NotAuditedState = (typeof NOT_AUDITED_STATES)[number];

/** The error code that names an account not audited because of its state. */
export const NOT_AUDITED_STATE_CODES = {
  SUSPENDED: 'account-suspended',
  PENDING_CLOSURE: 'account-pending-closure',
  PENDING_ACTIVATION: 'account-pending-activation',
  CLOSED: 'account-closed',
} as const satisfies Record<NotAuditedState, ErrorCode>;

/** Whether an account of this state is audited: ACTIVE ones, and those listed in the config. */
export function isAuditable(status: string): boolean {
  return status === 'ACTIVE' || status === 'STATIC';
}

/**
 * Applies include/exclude lists and drops duplicates, then splits the accounts into those to audit
 * (ACTIVE, or static) and those not audited because of their state — kept, so they are named.
 */
export function selectAccounts(
  accounts: readonly DiscoveredAccount[],
  filters: { include?: string[] | undefined; exclude?: string[] | undefined },
): { audit: DiscoveredAccount[]; notActive: DiscoveredAccount[] } {
  const seen = new Set<string>();
  const wanted = accounts.filter((a) => {
    if (seen.has(a.id)) return false;
    seen.add(a.id);
    if (filters.include && filters.include.length > 0 && !filters.include.includes(a.id)) return false;
    if (filters.exclude?.includes(a.id)) return false;
    return true;
  });
  return {
    audit: wanted.filter((a) => isAuditable(a.status)),
    notActive: wanted.filter((a) => !isAuditable(a.status)),
  };
}

/** Why nothing is left to audit, in the user's terms (zero accounts is never a clean audit). */
function nothingToAuditReason(
  listed: number,
  notActive: readonly DiscoveredAccount[],
  where: string,
): string {
  if (listed === 0) return `${where} listed no account: there is nothing to audit`;
  if (notActive.length === 0) {
    return `${where} listed ${listed} account${listed === 1 ? '' : 's'}, and the include/exclude lists leave none to audit`;
  }
  const states = [...new Set(notActive.map((a) => a.status))].sort().join(', ');
  return `${where} listed ${listed} account${listed === 1 ? '' : 's'}; none within the include/exclude lists is ACTIVE (${notActive.length} ${states})`;
}

/** Lists the accounts to audit. A listing that fails midway keeps the accounts found and records the error. */
export async function discoverAccounts(
  config: Config,
  clients: ClientFactory,
  log: Logger,
): Promise<Discovery> {
  const aws = awsSection(config);
  const filters = { include: aws.accounts.include, exclude: aws.accounts.exclude };
  if (aws.accounts.ids) {
    const accounts = selectAccounts(
      aws.accounts.ids.map((id) => ({ id, name: null, status: 'STATIC' })),
      filters,
    ).audit;
    log.info('accounts from the config', { accounts: accounts.length });
    const errors: RunErrorEntry[] = [];
    if (accounts.length === 0) {
      errors.push({
        scope: 'run',
        id: 'accounts',
        code: 'no-accounts-to-audit',
        message: nothingToAuditReason(aws.accounts.ids.length, [], 'the config (aws.accounts.ids)'),
      });
    }
    return {
      accounts,
      notActive: [],
      errors,
      organizationId: null,
      managementAccountId: aws.managementAccountId ?? null,
    };
  }

  const client = clients.organizations();
  const errors: RunErrorEntry[] = [];
  let organizationId: string | null = null;
  let managementAccountId: string | null = aws.managementAccountId ?? null;
  const found: DiscoveredAccount[] = [];
  try {
    try {
      const { Organization } = await client.send(new DescribeOrganizationCommand({}));
      organizationId = Organization?.Id ?? null;
      managementAccountId = Organization?.MasterAccountId ?? managementAccountId;
    } catch (error) {
      const { code, message } = classifyAwsError(error, 'call');
      errors.push({ scope: 'run', id: 'organizations', code: `describe-organization-${code}`, message });
    }
    try {
      if (aws.accounts.organizationalUnits && aws.accounts.organizationalUnits.length > 0) {
        const seen = new Set<string>();
        for (const ou of aws.accounts.organizationalUnits) await accountsUnder(client, ou, found, seen);
      } else {
        for await (const page of paginateListAccounts({ client }, {})) {
          for (const account of page.Accounts ?? []) {
            const item = fromOrganizations(account, null);
            if (item) found.push(item);
          }
        }
      }
    } catch (error) {
      const { code, message } = classifyAwsError(error, 'call');
      errors.push({
        scope: 'run',
        id: 'organizations',
        code: 'list-accounts-failed',
        message: `${code}: ${message}`,
      });
      log.error('listing accounts failed', { code, found: found.length });
    }
  } finally {
    client.destroy();
  }
  const { audit: accounts, notActive } = selectAccounts(found, filters);
  // Only when the listing itself succeeded: a failed listing already says why nothing was found.
  if (accounts.length === 0 && !errors.some((e) => e.code === 'list-accounts-failed')) {
    const where =
      aws.accounts.organizationalUnits && aws.accounts.organizationalUnits.length > 0
        ? `Organizations (under ${aws.accounts.organizationalUnits.join(', ')})`
        : 'Organizations';
    errors.push({
      scope: 'run',
      id: 'organizations',
      code: 'no-accounts-to-audit',
      message: nothingToAuditReason(found.length, notActive, where),
    });
  }
  log.info('accounts discovered', {
    listed: found.length,
    audited: accounts.length,
    notActive: notActive.length,
    organizationId,
  });
  return { accounts, notActive, errors, organizationId, managementAccountId };
}
