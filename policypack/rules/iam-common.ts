// Shared plumbing for the rules that read IAM documents.

import { DocKind, IamDocument, Statement } from "../iam/document";
import { documentsOf, DOCUMENT_TYPES } from "../iam/reader";
import type { PlainResource } from "../lib/rule";

export { DOCUMENT_TYPES };

/**
 * The statements of the given kinds. Only wholly unknown documents are skipped (and noted once by
 * `iam-document-readable`); a statement with unknown parts is judged on its known parts, and each
 * rule says "not known yet" only where its answer depends on `Statement.unknown`.
 */
export function statementsOf(r: PlainResource, kinds: readonly DocKind[]): { doc: IamDocument; st: Statement }[] {
  const out: { doc: IamDocument; st: Statement }[] = [];
  for (const doc of documentsOf(r.type, r.props)) {
    if (doc.whollyUnknown || !kinds.includes(doc.kind)) continue;
    for (const st of doc.statements) out.push({ doc, st });
  }
  return out;
}

export function at(doc: IamDocument, st: Statement): string {
  return `${doc.where} ${st.label}`;
}

export function quoteList(xs: readonly string[], max = 5): string {
  const shown = xs.slice(0, max).map((x) => JSON.stringify(x));
  return xs.length > max ? `${shown.join(", ")} and ${xs.length - max} more` : shown.join(", ");
}

/** Kinds that grant access (SCPs and RCPs only ever limit it, and are exempt from grant rules). */
export const GRANTING: readonly DocKind[] = ["identity", "trust", "resource", "lambda-permission"];
export const WITH_PRINCIPALS: readonly DocKind[] = ["trust", "resource", "lambda-permission"];
export const ALL_KINDS: readonly DocKind[] = ["identity", "trust", "resource", "scp", "rcp", "lambda-permission"];
