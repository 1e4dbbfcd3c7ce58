// Account discovery: Organizations ListAccounts (every page, ACTIVE only), or the accounts under configured
// OUs (nested OUs included), or a static list from the config; then the include/exclude lists.
import {
  DescribeOrganizationCommand,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { Config } from '../config/schema.js';
import { awsSection, createClientFactory, type AwsDeps } from '../aws/clients.js';
import { classifyAwsError } from '../aws/errors.js';
import type { RunErrorEntry } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';

/** An account to audit. */
export interface DiscoveredAccount {
  id: string;
  name: string | null;
  email?: string | null;
  /** Organizations' status (ACTIVE), or STATIC for an account listed in the config. */
  status: string;
  /** The OU (or root) it was found under, when discovered by OU. */
  ou?: string | null;
}

/** The accounts to audit, and what could not be listed. */
export interface Discovery {
  accounts: DiscoveredAccount[];
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
    status: account.Status ?? 'UNKNOWN',
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

/** Applies include/exclude lists and drops accounts that are not ACTIVE (static ones are kept). */
export function filterAccounts(
  accounts: readonly DiscoveredAccount[],
  filters: { include?: string[] | undefined; exclude?: string[] | undefined },
): DiscoveredAccount[] {
  const seen = new Set<string>();
  return accounts.filter((a) => {
    if (seen.has(a.id)) return false;
    seen.add(a.id);
    if (a.status !== 'ACTIVE' && a.status !== 'STATIC') return false;
    if (filters.include && filters.include.length > 0 && !filters.include.includes(a.id)) return false;
    if (filters.exclude?.includes(a.id)) return false;
    return true;
  });
}

/** Lists the accounts to audit. A listing that fails midway keeps the accounts found and records the error. */
export async function discoverAccounts(config: Config, deps: AwsDeps, log: Logger): Promise<Discovery> {
  const aws = awsSection(config);
  const filters = { include: aws.accounts.include, exclude: aws.accounts.exclude };
  if (aws.accounts.ids) {
    const accounts = filterAccounts(
      aws.accounts.ids.map((id) => ({ id, name: null, status: 'STATIC' })),
      filters,
    );
    log.info('accounts from the config', { accounts: accounts.length });
    return {
      accounts,
      errors: [],
      organizationId: null,
      managementAccountId: aws.managementAccountId ?? null,
    };
  }

  const client = createClientFactory(aws, deps).organizations();
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
  const accounts = filterAccounts(found, filters);
  log.info('accounts discovered', { listed: found.length, audited: accounts.length, organizationId });
  return { accounts, errors, organizationId, managementAccountId };
}
