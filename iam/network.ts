// The network perimeter of reads (issue 16 item 3): the statements that refuse a read unless it comes
// through a named VPC endpoint, from a named VPC, or from a named public address range. Pure.
//
// AWS facts this rests on (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
// - aws:SourceIp is the requester's public address and is absent when the request comes through a VPC
//   endpoint; aws:SourceVpce and aws:SourceVpc are present only then. So "inside" is
//   (SourceIp in the ranges) OR (SourceVpce named) OR (SourceVpc named), and the Deny is its negation:
//   every block is the ...IfExists form of a negated operator, and the blocks of one statement AND
//   together, so the statement denies only when no named network matches. A request that carries
//   none of the keys is denied too (fails closed).
// - aws:ViaAWSService is true when a service calls another with the caller's credentials (a forward
//   access session): S3 calling kms:Decrypt for an SSE-KMS object. Those calls are exempt, as in
//   AWS's network-perimeter examples ("BoolIfExists aws:ViaAWSService false"):
//   https://docs.aws.amazon.com/whitepapers/latest/building-a-data-perimeter-on-aws/perimeter-implementation.html,
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_deny-ip.html.
// - aws:PrincipalIsAWSService is true for a service principal (CloudFront reading through OAC from
//   its own network): the bucket-wide statement exempts it, as the same examples do.
// aws:CalledVia is not used: it names only the services that set it, and the exemption must hold for
// the FAS call S3 makes to KMS whichever way AWS labels it.
import { BlockList, isIP } from "node:net";
import { KMS_READ_ACTIONS, S3_READ_ACTIONS } from "./s3Actions";
import type { ConditionBlock, Statement } from "./types";

/** Where reads may come from: any one match lets a request through. */
export interface NetworkPerimeter {
  /** VPC endpoint ids (aws:SourceVpce), e.g. vpce-0a1b2c3d4e5f60718. */
  vpcEndpoints: string[];
  /** VPC ids (aws:SourceVpc): a request through any endpoint in them. */
  vpcs: string[];
  /** Public CIDR ranges (aws:SourceIp) of requests that reach S3 over the internet. */
  sourceIps: string[];
}

export const NETWORK_DENY_SID = "DenyReadsOutsideNetworkPerimeter";

const sorted = (xs: string[]) => [...new Set(xs)].sort();

/** The conditions under which a read is outside the perimeter (before the service exemptions). */
export function outsideNetworkConditions(p: NetworkPerimeter): ConditionBlock {
  if (p.vpcEndpoints.length + p.vpcs.length + p.sourceIps.length === 0) throw new Error("network perimeter: expected at least one VPC endpoint, VPC or source range");
  const c: ConditionBlock = {};
  if (p.sourceIps.length) c.NotIpAddressIfExists = { "aws:SourceIp": sorted(p.sourceIps) };
  const vpc: Record<string, string[]> = {};
  if (p.vpcEndpoints.length) vpc["aws:SourceVpce"] = sorted(p.vpcEndpoints);
  if (p.vpcs.length) vpc["aws:SourceVpc"] = sorted(p.vpcs);
  if (Object.keys(vpc).length) c.StringNotEqualsIfExists = vpc;
  return c;
}

/**
 * The consumer role's own Deny (its identity policy): stolen credentials are refused wherever they are
 * used, whichever bucket policy applies. Covers the bucket's reads and kms:Decrypt with its key.
 */
export function consumerNetworkDeny(a: { bucketArn: string; keyArn: string; network: NetworkPerimeter }): Statement {
  return {
    Sid: NETWORK_DENY_SID,
    Effect: "Deny",
    Action: [...S3_READ_ACTIONS, ...KMS_READ_ACTIONS],
    Resource: [a.bucketArn, `${a.bucketArn}/*`, a.keyArn],
    Condition: { ...outsideNetworkConditions(a.network), BoolIfExists: { "aws:ViaAWSService": "false" } },
  };
}

/**
 * The stack-wide statement of the bucket policy: one statement, whatever the number of consumers.
 * Applies to every principal (the publisher and partner accounts included) except AWS service
 * principals and calls a service makes on a caller's behalf.
 */
export function bucketNetworkDeny(a: { bucketArn: string; network: NetworkPerimeter }): Statement {
  return {
    Sid: NETWORK_DENY_SID,
    Effect: "Deny",
    Principal: "*",
    Action: [...S3_READ_ACTIONS],
    Resource: [a.bucketArn, `${a.bucketArn}/*`],
    Condition: { ...outsideNetworkConditions(a.network), BoolIfExists: { "aws:PrincipalIsAWSService": "false", "aws:ViaAWSService": "false" } },
  };
}

// ---------------------------------------------------------------------------------------------
// Address ranges

/**
 * Ranges aws:SourceIp never holds: private, shared (carrier-grade NAT), loopback and link-local
 * addresses. A request from such a network reaches S3 through a VPC endpoint (no aws:SourceIp) or a
 * NAT with a public address; the reference above says the key holds public addresses only.
 */
const NON_PUBLIC: [string, number, "ipv4" | "ipv6"][] = [
  ["10.0.0.0", 8, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["100.64.0.0", 10, "ipv4"],
  ["127.0.0.0", 8, "ipv4"],
  ["169.254.0.0", 16, "ipv4"],
  ["fc00::", 7, "ipv6"],
  ["fe80::", 10, "ipv6"],
  ["::1", 128, "ipv6"],
];

/** An address range as given: "203.0.113.0/24" or "2001:db8::/32". */
export interface Cidr {
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

function ipv4ToInt(a: string): number {
  return a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
}
function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

/** Parses a CIDR range, or says what is wrong with it (one sentence, for a config error). */
export function parseCidr(s: string): Cidr | string {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  if (!m) return `expected a CIDR range such as 203.0.113.0/24 (one address is 203.0.113.7/32), got "${s}"`;
  const v = isIP(m[1]);
  if (v === 0) return `"${m[1]}" is not an IPv4 or IPv6 address (expected a CIDR range such as 203.0.113.0/24)`;
  const family = v === 4 ? "ipv4" : "ipv6";
  const prefix = Number(m[2]);
  const max = v === 4 ? 32 : 128;
  if (prefix > max) return `prefix /${prefix} is longer than ${max} bits`;
  if (prefix === 0) return `${s} admits every address: name the ranges your workloads use, or leave sourceIps out`;
  if (family === "ipv4") {
    const size = 2 ** (32 - prefix);
    const n = ipv4ToInt(m[1]);
    if (n % size !== 0) return `${s} has host bits set: did you mean ${intToIpv4(n - (n % size))}/${prefix}?`;
  }
  for (const [net, len, fam] of NON_PUBLIC) {
    if (fam !== family || prefix < len) continue;
    const b = new BlockList();
    b.addSubnet(net, len, fam);
    if (b.check(m[1], fam)) {
      return `${s} is not a public range: aws:SourceIp holds only public addresses (a request from a private network comes through a VPC endpoint: name it in vpcEndpoints or its VPC in vpcs)`;
    }
  }
  return { address: m[1], prefix, family };
}

/** Whether an address lies in one of the ranges (each valid by parseCidr). */
export function inRanges(address: string, ranges: string[]): boolean {
  const b = new BlockList();
  for (const r of ranges) {
    const c = parseCidr(r);
    if (typeof c !== "string") b.addSubnet(c.address, c.prefix, c.family);
  }
  const v = isIP(address);
  return v !== 0 && b.check(address, v === 4 ? "ipv4" : "ipv6");
}

/** An address inside a range: the first host of an IPv4 range, the network address of an IPv6 one. */
export function addressIn(range: string): string {
  const c = parseCidr(range);
  if (typeof c === "string") throw new Error(c);
  if (c.family === "ipv6" || c.prefix >= 31) return c.address;
  return intToIpv4(ipv4ToInt(c.address) + 1);
}
