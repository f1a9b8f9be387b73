// The one place that knows which resource types carry IAM documents, and where.
// Every IAM rule reads documents through `documentsOf`, so a resource type added here is covered
// by all of them at once.

import { T } from "../lib/tokens";
import { isUnknown } from "../lib/unknown";
import { isRecord, readString } from "../lib/values";
import { acceptedAtDeploy } from "./deploy-checks";
import { DocKind, IamDocument, parseDocument, Statement } from "./document";
import { LOCATIONS } from "./locations";

/** Every resource type the reader understands (for rule type filters and the README). */
export const DOCUMENT_TYPES: readonly string[] = [...Object.keys(LOCATIONS), T.orgPolicy, T.lambdaPermission, T.layerPermission];

// Parsing is the costly part; every IAM rule asks for the same resource's documents, so they are
// kept per props object (the plan passes one object to all rules; the CLI passes a fresh copy to
// each rule, which just misses the cache).
const cache = new WeakMap<object, IamDocument[]>();

export function documentsOf(type: string, props: Record<string, unknown>): IamDocument[] {
  const hit = cache.get(props);
  if (hit) return hit;
  let docs: IamDocument[];
  try {
    docs = read(type, props);
  } catch (e) {
    // Defence in depth: parseDocument does not throw, but a reader bug must become a finding,
    // never a crashed preview.
    docs = [{ where: ".", kind: "identity", statements: [], unknown: false, size: -1, errors: [`the IAM reader failed: ${String(e)}`] }];
  }
  cache.set(props, docs);
  return docs;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "";
}

function read(type: string, props: Record<string, unknown>): IamDocument[] {
  const out: IamDocument[] = [];
  for (const loc of LOCATIONS[type] ?? []) {
    const v = props[loc.field];
    if (!present(v)) continue;
    const doc = parseDocument(v, `.${loc.field}`, loc.kind);
    acceptedAtDeploy(doc, type, props, loc);
    out.push(doc);
  }
  if (type === T.role) {
    const inline = props["inlinePolicies"];
    if (isUnknown(inline)) out.push(unknownDoc(".inlinePolicies", "identity"));
    else if (Array.isArray(inline)) {
      inline.forEach((p, i) => {
        if (!isRecord(p) || !present(p["policy"])) return;
        const doc = parseDocument(p["policy"], `.inlinePolicies[${i}].policy`, "identity");
        acceptedAtDeploy(doc, type, props, { field: "inlinePolicies", kind: "identity" });
        out.push(doc);
      });
    }
  }
  if (type === T.orgPolicy) {
    const kind = orgPolicyKind(props["type"]);
    if (kind === "unknown") out.push(unknownDoc(".type", "scp"));
    else if (kind && present(props["content"])) out.push(parseDocument(props["content"], ".content", kind));
  }
  if (type === T.lambdaPermission) out.push(lambdaPermissionDocument(props));
  if (type === T.layerPermission) out.push(layerPermissionDocument(props));
  return out;
}

function unknownDoc(where: string, kind: DocKind): IamDocument {
  return { where, kind, statements: [], errors: [], unknown: true, whollyUnknown: true, size: -1 };
}

// Tag, backup, chatbot and AI opt-out policies are not IAM language; only SCPs and RCPs are.
function orgPolicyKind(v: unknown): DocKind | "unknown" | undefined {
  if (isUnknown(v)) return "unknown";
  if (v === undefined || v === null || v === "SERVICE_CONTROL_POLICY") return "scp";
  if (v === "RESOURCE_CONTROL_POLICY") return "rcp";
  return undefined;
}

/**
 * A lambda.Permission is one resource-policy statement spread over props; rebuild it so the
 * principal and confused-deputy rules judge it like any other resource policy.
 */
function lambdaPermissionDocument(props: Record<string, unknown>): IamDocument {
  const doc: IamDocument = { where: ".principal", kind: "lambda-permission", statements: [], errors: [], unknown: false, size: -1 };
  const principal = readString(props["principal"]);
  const action = readString(props["action"]);
  if (principal.kind === "unknown" || action.kind === "unknown") return { ...doc, unknown: true, whollyUnknown: true };
  if (principal.kind === "absent" || principal.value === "") {
    doc.errors.push(".principal must be a non-empty string");
    return doc;
  }
  const p = principal.value;
  const st: Statement = {
    index: 0,
    label: "the permission",
    effect: "Allow",
    unknown: [],
    action: action.kind === "value" ? [action.value] : [],
    resource: ["*"],
    principal: {
      star: p === "*",
      aws: p !== "*" && !p.endsWith(".amazonaws.com") ? [p] : [],
      service: p.endsWith(".amazonaws.com") ? [p] : [],
      federated: [],
      canonical: [],
    },
    conditions: [],
  };
  const pin = (field: string, operator: string, key: string): void => {
    const v = readString(props[field]);
    if (v.kind === "unknown") {
      doc.unknown = true;
      if (!st.unknown.includes("Condition")) st.unknown.push("Condition");
    } else if (v.kind === "value" && v.value !== "") st.conditions.push({ operator, key, values: [v.value] });
  };
  pin("sourceArn", "ArnLike", "aws:sourcearn");
  pin("sourceAccount", "StringEquals", "aws:sourceaccount");
  pin("principalOrgId", "StringEquals", "aws:principalorgid");
  // A function URL with auth NONE is reachable by anyone on the internet whatever the conditions.
  if (props["functionUrlAuthType"] === "NONE") st.conditions = [];
  doc.statements.push(st);
  return doc;
}

/**
 * A layer version permission shares a layer with an account, an organization, or everyone
 * (`principal: "*"` without `organizationId`).
 */
function layerPermissionDocument(props: Record<string, unknown>): IamDocument {
  const doc: IamDocument = { where: ".principal", kind: "lambda-permission", statements: [], errors: [], unknown: false, size: -1 };
  const principal = readString(props["principal"]);
  if (principal.kind === "unknown") return { ...doc, unknown: true, whollyUnknown: true };
  if (principal.kind === "absent" || principal.value === "") {
    doc.errors.push(".principal must be an account id, an account ARN or \"*\"");
    return doc;
  }
  const st: Statement = {
    index: 0,
    label: "the layer permission",
    effect: "Allow",
    action: [typeof props["action"] === "string" ? (props["action"] as string) : "lambda:GetLayerVersion"],
    resource: ["*"],
    principal: { star: principal.value === "*", aws: principal.value === "*" ? [] : [principal.value], service: [], federated: [], canonical: [] },
    conditions: [],
    unknown: [],
  };
  const org = readString(props["organizationId"]);
  if (org.kind === "unknown") {
    doc.unknown = true;
    st.unknown.push("Condition");
  } else if (org.kind === "value" && org.value !== "") st.conditions.push({ operator: "StringEquals", key: "aws:principalorgid", values: [org.value] });
  doc.statements.push(st);
  return doc;
}
