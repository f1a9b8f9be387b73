// Normalised IAM documents: one shape for every policy language variant AWS accepts.
//
// AWS accepts a JSON string or (through Pulumi) an object, `Statement` as one object or an array,
// and `Action`/`Resource`/`Principal` values as a string or an array. Rules should not each deal
// with that, and they must never throw on what a user wrote: `parseDocument` turns anything into a
// document plus a list of problems, and the `iam-document-readable` rule reports the problems.

import { containsUnknown, isUnknown } from "../lib/unknown";
import { isRecord } from "../lib/values";

/** What the document is for; it decides which rules apply (see README). */
export type DocKind = "identity" | "trust" | "resource" | "scp" | "rcp" | "lambda-permission";

export interface Principal {
  /** `"*"`, `{"AWS": "*"}` or an AWS principal containing a wildcard: anyone. */
  star: boolean;
  aws: string[];
  service: string[];
  federated: string[];
  canonical: string[];
}

export interface Condition {
  /** As written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  /** Lower case: AWS condition keys are case-insensitive. */
  key: string;
  values: string[];
}

export interface Statement {
  index: number;
  /** For messages: `Statement[2] "AllowRead"`. */
  label: string;
  effect: "Allow" | "Deny" | "invalid";
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: Principal;
  notPrincipal?: Principal;
  conditions: Condition[];
  /**
   * Elements holding a value not known at preview ("Condition", "Principal", "Resource"...). Rules
   * judge the known parts and say "not known yet" only where the answer depends on these.
   */
  unknown: string[];
}

export interface IamDocument {
  /** Where it was found on the resource, e.g. `.inlinePolicies[1].policy`. */
  where: string;
  kind: DocKind;
  statements: Statement[];
  /** Why the document (or part of it) cannot be read; non-empty is a mandatory violation. */
  errors: string[];
  /** Part of the document is not known at preview (see Statement.unknown for which part). */
  unknown: boolean;
  /** Nothing of the document is known (the whole value, or text that is not JSON yet). */
  whollyUnknown?: boolean;
  /** Characters excluding whitespace, as IAM counts them against its limits (-1 when unknown). */
  size: number;
}

const WS = /\s/g;

export function sizeWithoutWhitespace(json: string): number {
  return json.length - (json.match(WS)?.length ?? 0);
}

/** Parse a document given as a JSON string or an object. Never throws. */
export function parseDocument(raw: unknown, where: string, kind: DocKind): IamDocument {
  const doc: IamDocument = { where, kind, statements: [], errors: [], unknown: false, size: -1 };
  mayHoldUnknowns = true; // until the whole text has been checked
  let value: unknown = raw;
  if (typeof raw === "string") {
    const partly = containsUnknown(raw);
    mayHoldUnknowns = partly;
    if (isUnknown(raw)) return wholly(doc);
    try {
      value = JSON.parse(raw);
    } catch (e) {
      // Text built around an unknown may only become JSON once the value is known.
      if (partly) return wholly(doc);
      doc.errors.push(`${where} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
      return doc;
    }
    // An unknown value's placeholder is not its real length.
    if (!partly) doc.size = sizeWithoutWhitespace(raw);
  } else if (isRecord(raw)) {
    let text: string | undefined;
    try {
      text = JSON.stringify(raw);
    } catch {
      text = undefined; // cycles or BigInt: reported below as unreadable
    }
    if (text === undefined) {
      doc.errors.push(`${where} cannot be serialised to JSON`);
      return doc;
    }
    mayHoldUnknowns = containsUnknown(text);
    if (!mayHoldUnknowns) doc.size = sizeWithoutWhitespace(text);
  }
  if (!isRecord(value)) {
    doc.errors.push(`${where} must be a JSON object with a Statement, got ${describe(value)}`);
    return doc;
  }
  const version = value["Version"];
  if (version !== undefined && version !== "2012-10-17" && version !== "2008-10-17" && !isUnknown(version)) {
    doc.errors.push(`${where}: Version must be "2012-10-17", got ${describe(version)}`);
  }
  const st = value["Statement"];
  const list = Array.isArray(st) ? st : st === undefined ? undefined : [st];
  if (list === undefined) {
    doc.errors.push(`${where} has no Statement`);
    return doc;
  }
  list.forEach((s, i) => {
    const parsed = parseStatement(s, i, doc);
    if (parsed) doc.statements.push(parsed);
  });
  return doc;
}

function wholly(doc: IamDocument): IamDocument {
  doc.unknown = true;
  doc.whollyUnknown = true;
  return doc;
}

// Whether the document being parsed contains a sentinel anywhere: checked once on the whole text,
// so that the common, fully known document skips the per-value search. Parsing is synchronous.
let mayHoldUnknowns = false;

/** A value Pulumi does not know yet: the sentinel itself, or a string built around one. */
function unknownValue(x: unknown): boolean {
  return mayHoldUnknowns && typeof x === "string" && (isUnknown(x) || containsUnknown(x));
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  return typeof v;
}

function parseStatement(s: unknown, index: number, doc: IamDocument): Statement | undefined {
  const at = `${doc.where} Statement[${index}]`;
  if (!isRecord(s)) {
    doc.errors.push(`${at} must be an object, got ${describe(s)}`);
    return undefined;
  }
  const sid = typeof s["Sid"] === "string" ? (s["Sid"] as string) : undefined;
  const label = sid ? `Statement[${index}] "${sid}"` : `Statement[${index}]`;
  const unknownParts: string[] = [];
  const rawEffect = s["Effect"];
  let effect: Statement["effect"] = "invalid";
  if (rawEffect === "Allow" || rawEffect === "Deny") effect = rawEffect;
  else if (isUnknown(rawEffect)) mark(doc, unknownParts, "Effect");
  else doc.errors.push(`${at}: Effect must be "Allow" or "Deny", got ${describe(rawEffect)}`);

  const out: Statement = { index, label, effect, conditions: [], unknown: unknownParts };
  const list = (key: string): string[] | undefined => {
    const v = s[key];
    if (v === undefined) return undefined;
    if (isUnknown(v)) {
      mark(doc, unknownParts, key);
      return [];
    }
    const arr = Array.isArray(v) ? v : [v];
    const res: string[] = [];
    for (const x of arr) {
      if (unknownValue(x)) mark(doc, unknownParts, key);
      else if (typeof x !== "string") doc.errors.push(`${at}: ${key} values must be strings, got ${describe(x)}`);
      else res.push(x);
    }
    return res;
  };
  out.action = list("Action");
  out.notAction = list("NotAction");
  out.resource = list("Resource");
  out.notResource = list("NotResource");
  if (out.action === undefined && out.notAction === undefined && doc.kind !== "lambda-permission") {
    doc.errors.push(`${at} has neither Action nor NotAction`);
  }
  if (out.action !== undefined && out.notAction !== undefined) doc.errors.push(`${at} has both Action and NotAction`);
  out.principal = parsePrincipal(s["Principal"], `${at}: Principal`, doc, () => mark(doc, unknownParts, "Principal"));
  out.notPrincipal = parsePrincipal(s["NotPrincipal"], `${at}: NotPrincipal`, doc, () => mark(doc, unknownParts, "NotPrincipal"));
  const hasPrincipal = out.principal !== undefined || out.notPrincipal !== undefined;
  if ((doc.kind === "identity" || doc.kind === "scp") && hasPrincipal) {
    doc.errors.push(`${at}: an identity policy or SCP must not name a Principal (AWS rejects it)`);
  }
  if ((doc.kind === "trust" || doc.kind === "resource" || doc.kind === "rcp") && !hasPrincipal) {
    doc.errors.push(`${at}: a ${doc.kind} policy statement needs a Principal`);
  }
  if (s["Condition"] !== undefined) out.conditions = parseConditions(s["Condition"], at, doc, () => mark(doc, unknownParts, "Condition"));
  return out;
}

function mark(doc: IamDocument, parts: string[], part: string): void {
  doc.unknown = true;
  if (!parts.includes(part)) parts.push(part);
}

function parsePrincipal(v: unknown, at: string, doc: IamDocument, markUnknown: () => void): Principal | undefined {
  if (v === undefined) return undefined;
  const p: Principal = { star: false, aws: [], service: [], federated: [], canonical: [] };
  if (v === "*") {
    p.star = true;
    return p;
  }
  if (isUnknown(v)) {
    markUnknown();
    return p;
  }
  if (!isRecord(v)) {
    doc.errors.push(`${at} must be "*" or an object, got ${describe(v)}`);
    return p;
  }
  for (const [k, raw] of Object.entries(v)) {
    const arr = Array.isArray(raw) ? raw : [raw];
    const vals: string[] = [];
    for (const x of arr) {
      if (unknownValue(x)) markUnknown();
      else if (typeof x !== "string") doc.errors.push(`${at}.${k} values must be strings, got ${describe(x)}`);
      else vals.push(x);
    }
    switch (k) {
      case "AWS":
        p.aws.push(...vals);
        if (vals.some((x) => x.includes("*"))) p.star = true;
        break;
      case "Service":
        p.service.push(...vals);
        break;
      case "Federated":
        p.federated.push(...vals);
        break;
      case "CanonicalUser":
        p.canonical.push(...vals);
        break;
      default:
        doc.errors.push(`${at} has an unknown principal type "${k}" (AWS, Service, Federated or CanonicalUser)`);
    }
  }
  return p;
}

function parseConditions(v: unknown, at: string, doc: IamDocument, markUnknown: () => void): Condition[] {
  if (isUnknown(v)) {
    markUnknown();
    return [];
  }
  if (!isRecord(v)) {
    doc.errors.push(`${at}: Condition must be an object, got ${describe(v)}`);
    return [];
  }
  const out: Condition[] = [];
  for (const [operator, block] of Object.entries(v)) {
    if (isUnknown(block)) {
      markUnknown();
      continue;
    }
    if (!isRecord(block)) {
      doc.errors.push(`${at}: Condition.${operator} must be an object of keys to values`);
      continue;
    }
    for (const [key, raw] of Object.entries(block)) {
      const arr = Array.isArray(raw) ? raw : [raw];
      const values: string[] = [];
      for (const x of arr) {
        if (typeof x === "string") {
          if (unknownValue(x)) markUnknown();
          else values.push(x);
        } else if (typeof x === "number" || typeof x === "boolean") values.push(String(x));
        else doc.errors.push(`${at}: Condition.${operator}.${key} values must be strings, numbers or booleans`);
      }
      out.push({ operator, key: key.toLowerCase(), values });
    }
  }
  return out;
}
