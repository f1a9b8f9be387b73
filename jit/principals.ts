// Turning an authenticated ARN into a caller, and matching callers against config entries.
import type { Caller } from "./types";
import { JitError } from "./errors";

/** STS SourceIdentity / session-name alphabet. */
const NAME = /^[\w+=,.@-]{2,64}$/;

/**
 * The person behind a SigV4 identity: the user name of an IAM user, the session name of an
 * assumed role (IAM Identity Center puts the user's name there). Anything else is refused.
 */
export function callerFromArn(arn: string): Caller {
  const m = /^arn:aws[a-z-]*:(iam|sts)::\d{12}:(user|assumed-role)\/(.+)$/.exec(arn);
  if (!m) throw new JitError("forbidden", `caller ${arn} is not an IAM user or an assumed-role session`);
  const parts = m[3].split("/");
  const name = m[2] === "user" ? parts[parts.length - 1] : parts[parts.length - 1];
  if (m[2] === "assumed-role" && parts.length < 2) throw new JitError("forbidden", `caller ${arn} has no session name`);
  if (!NAME.test(name) || name.toLowerCase().startsWith("aws:"))
    throw new JitError("forbidden", `caller name '${name}' cannot be an STS source identity`);
  return { arn, name };
}

/** Sandbox identities: loudly fake ARNs so they can never be mistaken for real ones. */
export function sandboxCaller(name: string): Caller {
  if (!NAME.test(name)) throw new JitError("bad-request", `--as '${name}': expected 2-64 characters [A-Za-z0-9_+=,.@-]`);
  return { arn: `arn:sandbox:::user/${name}`, name };
}

function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${esc}$`);
}

/** An entry starting with "arn:" is a glob on the ARN; anything else is an exact name ("*" matches all). */
export function matches(entries: readonly string[], caller: Caller): boolean {
  return entries.some((e) => {
    if (e === "*") return true;
    if (e.startsWith("arn:")) return globToRegExp(e).test(caller.arn);
    return e === caller.name;
  });
}
