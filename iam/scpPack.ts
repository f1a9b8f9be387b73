// The SCP documents as AWS measures them (minified JSON characters) and the packing of the
// statements into as few documents as fit the limit. Pure.
import { RCP_MAX_CHARS, RCP_MAX_PER_TARGET, SCP_MAX_CHARS, SCP_MAX_PER_TARGET } from "./limits";
import { buildScpStatements } from "./scpStatements";
import type { ScpPatterns } from "./scpPatterns";
import { PolicyDocument, Statement, policyDocument, toJson } from "./types";

/**
 * Size as AWS counts it: the characters of the document with whitespace outside string values removed.
 * Accepts a document or JSON text (pretty-printed text is measured minified, as AWS does).
 */
export function scpSize(doc: PolicyDocument | string): number {
  const d = typeof doc === "string" ? (JSON.parse(doc) as PolicyDocument) : doc;
  return minify(d).length;
}

/** Minified JSON text: what the provider receives and what the size counts. */
export function minify(doc: PolicyDocument): string {
  return toJson(doc);
}

export interface PackedScps {
  documents: PolicyDocument[];
  /** Minified size of each document, same order. */
  sizes: number[];
  /** Human-readable notes, e.g. that the rules were split across several documents. */
  notes: string[];
}

export class ScpSizeError extends Error {}

/** SCPs and RCPs share the packing: same 5,120-character limit and 5 per target (iam/limits.ts). */
export type PolicyKind = "SCP" | "RCP";

export interface PackOptions {
  maxDocuments: number;
  limit?: number;
  /** Names the policy type in messages. Default "SCP". */
  kind?: PolicyKind;
}

/** Split a statement whose own size exceeds the limit by halving its Resource, then its Action list. */
function splitStatement(s: Statement, limit: number, kind: PolicyKind): Statement[] {
  if (scpSize(policyDocument([s])) <= limit) return [s];
  const res = Array.isArray(s.Resource) ? s.Resource : undefined;
  const act = Array.isArray(s.Action) ? s.Action : undefined;
  const halve = <T>(xs: T[]): [T[], T[]] => [xs.slice(0, Math.ceil(xs.length / 2)), xs.slice(Math.ceil(xs.length / 2))];
  let parts: Statement[];
  if (res && res.length > 1) {
    const [a, b] = halve(res);
    parts = [{ ...s, Resource: a }, { ...s, Resource: b }];
  } else if (act && act.length > 1) {
    const [a, b] = halve(act);
    parts = [{ ...s, Action: a }, { ...s, Action: b }];
  } else {
    throw new ScpSizeError(
      `${kind} statement ${s.Sid ?? "(no Sid)"} alone is ${scpSize(policyDocument([s]))} characters minified, ` +
        `more than the ${limit}-character ${kind} limit, and cannot be split further: shorten the patterns in config.organization`,
    );
  }
  return parts.flatMap((p) => splitStatement(p, limit, kind));
}

/**
 * Pack statements into as few SCP documents as possible, each at most `limit` characters minified,
 * keeping the statements' order. Refuses (ScpSizeError) when more than `maxDocuments` are needed.
 * Split statements get Sids suffixed with a part number (Sids must stay unique within a document).
 */
export function packScps(statements: Statement[], opts: PackOptions): PackedScps {
  const kind = opts.kind ?? "SCP";
  const limit = opts.limit ?? (kind === "SCP" ? SCP_MAX_CHARS : RCP_MAX_CHARS);
  const perTarget = kind === "SCP" ? SCP_MAX_PER_TARGET : RCP_MAX_PER_TARGET;
  const full = kind === "SCP" ? "FullAWSAccess" : "RCPFullAWSAccess";
  const flat: Statement[] = [];
  for (const s of statements) {
    const parts = splitStatement(s, limit, kind);
    if (parts.length === 1) flat.push(s);
    else parts.forEach((p, i) => flat.push(p.Sid ? { ...p, Sid: `${p.Sid}${i + 1}` } : p));
  }
  const docs: Statement[][] = [];
  for (const s of flat) {
    const cur = docs[docs.length - 1];
    if (cur && scpSize(policyDocument([...cur, s])) <= limit) cur.push(s);
    else docs.push([s]);
  }
  const documents = docs.map((d) => policyDocument(d));
  const sizes = documents.map((d) => scpSize(d));
  const notes: string[] = [];
  if (documents.length > opts.maxDocuments) {
    throw new ScpSizeError(
      `The guardrail statements need ${documents.length} ${kind} documents of at most ${limit} characters ` +
        `(sizes ${sizes.join(", ")}), but each target can take only ${opts.maxDocuments} more ` +
        `(AWS allows ${perTarget} ${kind}s per root/OU/account, ${full} and already-attached ${kind}s included). ` +
        `Shorten the patterns in config.organization or detach other ${kind}s.`,
    );
  }
  if (documents.length > 1) {
    notes.push(
      `The guardrails do not fit one ${limit}-character ${kind}: split across ${documents.length} documents ` +
        `(${sizes.join(", ")} characters); each target gets all ${documents.length}.`,
    );
  }
  return { documents, sizes, notes };
}

/** Everything the OrgGuardrails component needs: statements built, packed and measured. */
export function buildScps(p: ScpPatterns, opts: PackOptions): PackedScps {
  return packScps(buildScpStatements(p), opts);
}
