// Signed CloudFront URLs for the stack's distribution, with @aws-sdk/cloudfront-signer (no
// hand-written crypto). The private key is read from a file at signing time only: it never enters
// config, state or the plan.
import * as fs from "node:fs";
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { getSignedUrl, type CloudfrontSignerAlgorithm } from "@aws-sdk/cloudfront-signer";
import { CLOUDFRONT_RSA_BITS } from "../config/cdn";

export class SignUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SignUrlError";
  }
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
/** Longest validity the tool signs: a signed URL cannot be revoked short of removing its key. */
export const MAX_EXPIRY_SECONDS = 30 * 86400;

/**
 * `--expires-in`: a duration (90s, 30m, 1h, 7d) from now, or an absolute ISO-8601 time
 * (2026-12-31T00:00:00Z). Must lie in the future and within MAX_EXPIRY_SECONDS.
 */
export function parseExpiry(value: string, now: Date): Date {
  const v = value.trim();
  const m = /^(\d+)\s*([smhd])$/.exec(v);
  let at: Date;
  if (m) {
    at = new Date(now.getTime() + Number(m[1]) * UNITS[m[2]] * 1000);
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))) {
    at = new Date(v);
  } else {
    throw new SignUrlError(`--expires-in: "${value}" is not a duration (90s, 30m, 1h, 7d) or an ISO-8601 time (2026-12-31T00:00:00Z)`);
  }
  const seconds = Math.floor((at.getTime() - now.getTime()) / 1000);
  if (seconds <= 0) throw new SignUrlError(`--expires-in: ${at.toISOString()} is not in the future (now ${now.toISOString()})`);
  if (seconds > MAX_EXPIRY_SECONDS) throw new SignUrlError(`--expires-in: ${value} is longer than the ${MAX_EXPIRY_SECONDS / 86400} days a URL may live`);
  return at;
}

/** The object key, checked to lie under one of the distributed prefixes. */
export function checkObjectPath(rawPath: string, prefixes: readonly string[]): string {
  const key = rawPath.replace(/^\/+/, "");
  if (key === "" || key.endsWith("/")) throw new SignUrlError(`--path: "${rawPath}" is not an object key (e.g. models/x/model.safetensors)`);
  if (/[*?]/.test(key)) throw new SignUrlError(`--path: "${rawPath}" contains a wildcard; sign one object at a time`);
  if (key.split("/").some((s) => s === "." || s === "..")) throw new SignUrlError(`--path: "${rawPath}" contains '.' or '..' segments`);
  if (/[\u0000-\u001f]/.test(key)) throw new SignUrlError(`--path: "${rawPath}" contains control characters`);
  if (!prefixes.some((p) => key.startsWith(p))) {
    throw new SignUrlError(`--path: "${key}" is outside the distributed prefixes (${prefixes.join(", ")}): CloudFront may not read it`);
  }
  return key;
}

/** A viewer's IPv4/IPv6 address or CIDR, as CloudFront's AWS:SourceIp condition takes it. */
export function checkIpCidr(value: string): string {
  const v4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
  const v6 = /^[0-9a-fA-F:]+:[0-9a-fA-F:]*(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;
  if (v4.test(value) || v6.test(value)) return value.includes("/") ? value : `${value}/${value.includes(":") ? 128 : 32}`;
  throw new SignUrlError(`--ip-cidr: "${value}" is not an IP address or CIDR (e.g. 203.0.113.0/24)`);
}

/** Reads and checks the private key file: clear errors for missing, unreadable or non-RSA keys. */
export function readPrivateKey(file: string, passphrase?: string): string {
  let pem: string;
  try {
    pem = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory" : (e as Error).message;
    throw new SignUrlError(`--private-key: cannot read ${file}: ${why}`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem", passphrase });
    if (key.asymmetricKeyType !== "rsa") throw new Error(`expected an RSA key, got ${key.asymmetricKeyType}`);
  } catch (e) {
    throw new SignUrlError(`--private-key: ${file} is not a usable RSA private key in PEM form (${(e as Error).message})`);
  }
  // CloudFront would refuse such a key's public half, so no URL signed with it can ever verify.
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits !== CLOUDFRONT_RSA_BITS) {
    throw new SignUrlError(`--private-key: ${file} is an RSA ${bits ?? "?"}-bit key; CloudFront only accepts RSA ${CLOUDFRONT_RSA_BITS}-bit key pairs (openssl genrsa -out cdn.pem ${CLOUDFRONT_RSA_BITS})`);
  }
  return pem;
}

/** The public half of a private key, as SPKI PEM (the form config/cdn.ts normalizes configured keys to). */
function publicHalf(privateKeyPem: string, passphrase?: string): string {
  return createPublicKey(createPrivateKey({ key: privateKeyPem, format: "pem", passphrase })).export({ type: "spki", format: "pem" }).toString();
}

/**
 * The configured public key (cdn.signing.publicKeys, PEMs normalized to SPKI) whose private half
 * this is. A URL signed with any other key is refused by CloudFront, so that is an error here, at
 * signing time, rather than a 403 later.
 */
export function matchPublicKey(privateKeyPem: string, publicKeys: readonly { name: string; pem: string }[], where: string, passphrase?: string): string {
  if (publicKeys.length === 0) throw new SignUrlError(`${where}.signing.publicKeys is empty: the distribution trusts no key, there is nothing to sign for`);
  const mine = publicHalf(privateKeyPem, passphrase);
  const hit = publicKeys.find((k) => createPublicKey(k.pem).export({ type: "spki", format: "pem" }).toString() === mine);
  if (!hit) {
    throw new SignUrlError(
      `--private-key: matches none of the public keys in ${where}.signing.publicKeys (${publicKeys.map((k) => k.name).join(", ")}): CloudFront would refuse every URL it signs; use the private half of one of them, or add its public half (openssl rsa -in KEY.pem -pubout) to the stack and deploy`,
    );
  }
  return hit.name;
}

export function checkDomain(domain: string): string {
  const d = domain.replace(/^https:\/\//, "").replace(/\/+$/, "");
  if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(d)) throw new SignUrlError(`--domain: "${domain}" is not a host name (e.g. d111111abcdef8.cloudfront.net)`);
  return d.toLowerCase();
}

export interface SignRequest {
  /** Distribution host: the *.cloudfront.net name or an alias. */
  domain: string;
  /** Object key under one of `prefixes`. */
  path: string;
  prefixes: readonly string[];
  keyPairId: string;
  /** The private key, PEM. */
  privateKeyPem: string;
  passphrase?: string;
  expiresAt: Date;
  /** Restrict to viewers in this range: switches to a custom policy. */
  ipCidr?: string;
  algorithm?: CloudfrontSignerAlgorithm;
}

/** The HTTPS URL of a key, each path segment percent-encoded the way viewers will request it. */
export function objectUrl(domain: string, key: string): string {
  return `https://${checkDomain(domain)}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

/** A signed URL: a canned policy, or a custom one (same expiry plus AWS:SourceIp) with --ip-cidr. */
export function signModelUrl(req: SignRequest): string {
  if (!/^K[A-Z0-9]{5,}$/.test(req.keyPairId)) throw new SignUrlError(`--key-pair-id: "${req.keyPairId}" is not a CloudFront public key id (K...); see the stack output cdnKeyPairIds`);
  const url = objectUrl(req.domain, checkObjectPath(req.path, req.prefixes));
  const base = { keyPairId: req.keyPairId, privateKey: req.privateKeyPem, passphrase: req.passphrase, algorithm: req.algorithm };
  if (req.ipCidr === undefined) return getSignedUrl({ ...base, url, dateLessThan: req.expiresAt });
  const policy = JSON.stringify({
    Statement: [
      {
        Resource: url,
        Condition: { DateLessThan: { "AWS:EpochTime": Math.floor(req.expiresAt.getTime() / 1000) }, IpAddress: { "AWS:SourceIp": checkIpCidr(req.ipCidr) } },
      },
    ],
  });
  return getSignedUrl({ ...base, url, policy });
}
