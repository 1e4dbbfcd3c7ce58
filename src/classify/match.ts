// Whether a suppression matches a finding. Matching runs on the findings the queries returned, never in SQL:
// globs through picomatch, addresses through ipaddr.js. Every field the suppression names must match; a
// field the finding does not have (a coverage finding has no principal) does not match.
import ipaddr from 'ipaddr.js';
import picomatch from 'picomatch';
import type { Suppression } from '../config/schema.js';

/** The values of a finding (or coverage finding) that a suppression can match on. */
export interface MatchSubject {
  /** The rule id, or the coverage check id. */
  ruleId: string;
  accountId: string | null;
  region: string | null;
  principal: string | null;
  eventName: string | null;
  sourceIp: string | null;
  userAgent: string | null;
}

/** A compiled suppression: one predicate over a subject. */
export type Matcher = (subject: MatchSubject) => boolean;

// `bash: true` lets `*` match `/` too: in an ARN (`role/*` covers role paths) as in IAM policies, and in a
// user agent (`*Terraform*` within `APN/1.0 HashiCorp/1.0 Terraform/1.5.7`).
const GLOB_OPTIONS = { bash: true, dot: true } as const;

const ASSUMED_ROLE = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;
const ROLE = /^(arn:[^:]*:iam::[^:]*:role\/)(?:.*\/)?([^/]+)$/;

/**
 * The role behind an assumed-role session ARN (`arn:aws:sts::1:assumed-role/deploy/ci` →
 * `arn:aws:iam::1:role/deploy`), or null. A session ARN carries no role path, so the role ARN has none.
 */
export function roleArnOfSession(arn: string): string | null {
  const m = ASSUMED_ROLE.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : null;
}

function globMatcher(pattern: string): (value: string) => boolean {
  return picomatch(pattern, GLOB_OPTIONS);
}

/** A role ARN pattern also matches its sessions: compare session ARNs through their role, path dropped. */
function principalMatcher(pattern: string): (arn: string) => boolean {
  const direct = globMatcher(pattern);
  const withoutPath = pattern.replace(ROLE, '$1$2');
  const viaRole = withoutPath === pattern ? direct : globMatcher(withoutPath);
  return (arn) => {
    if (direct(arn)) return true;
    const role = roleArnOfSession(arn);
    return role !== null && (direct(role) || viaRole(role));
  };
}

function cidrMatcher(block: string): (ip: string) => boolean {
  const [range, bits] = ipaddr.isValidCIDR(block)
    ? ipaddr.parseCIDR(block)
    : ((address) => [address, address.kind() === 'ipv4' ? 32 : 128] as const)(ipaddr.process(block));
  const normalised =
    range.kind() === 'ipv6' && (range as ipaddr.IPv6).isIPv4MappedAddress()
      ? ([(range as ipaddr.IPv6).toIPv4Address(), Math.max(0, bits - 96)] as const)
      : ([range, bits] as const);
  return (ip) => {
    // CloudTrail's sourceIPAddress is also a service name (ec2.amazonaws.com) or "AWS Internal".
    if (!ipaddr.isValid(ip)) return false;
    const address = ipaddr.process(ip);
    if (address.kind() !== normalised[0].kind()) return false;
    return address.match([normalised[0], normalised[1]] as [ipaddr.IPv4 | ipaddr.IPv6, number]);
  };
}

function field(test: ((value: string) => boolean) | null, value: string | null): boolean {
  return test === null || (value !== null && test(value));
}

/** Compiles a (validated) suppression into a predicate. */
export function compileSuppression(s: Suppression): Matcher {
  const principal = s.principal === undefined ? null : principalMatcher(s.principal);
  const eventName = s.eventName === undefined ? null : globMatcher(s.eventName);
  const userAgent = s.userAgent === undefined ? null : globMatcher(s.userAgent);
  const sourceIp = s.sourceIp === undefined ? null : cidrMatcher(s.sourceIp);
  return (f) =>
    (s.rule === '*' || s.rule === f.ruleId) &&
    (s.accountId === undefined || s.accountId === f.accountId) &&
    (s.region === undefined || s.region === f.region) &&
    field(principal, f.principal) &&
    field(eventName, f.eventName) &&
    field(sourceIp, f.sourceIp) &&
    field(userAgent, f.userAgent);
}
