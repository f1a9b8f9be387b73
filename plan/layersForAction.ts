// SCP and RCP layers cut down to the statements that can decide one action. The engine walks every
// statement of every control policy for every question (a workload plan asks thousands, each under
// three SCP documents of ~10 statements), yet a Deny whose Action cannot match the request decides
// nothing: dropping it changes no decision and no explanation (only matching Denies are named, and
// the layer's Allow stays). Kept whole: Allow statements, NotAction statements, and any document with
// a statement without a Sid (the engine names those by index, which dropping others would shift).
import type { PolicyDocument } from "../iam/types";
import type { OrgLayer } from "./orgLayers";
import { coversAction } from "./paths/prune";
import type { NamedPolicy } from "./planDocuments";

// Per layer and action, one result object: the answer cache digests documents by identity, and the
// engine validates each document object once.
const byLayer = new WeakMap<OrgLayer, Map<string, OrgLayer>>();
const byDoc = new WeakMap<PolicyDocument, Map<string, PolicyDocument | null>>();

/** The document's statements that may decide `action`; null when none can (a Deny-only document that never names it). */
function docForAction(doc: PolicyDocument, action: string): PolicyDocument | null {
  let m = byDoc.get(doc);
  if (!m) byDoc.set(doc, (m = new Map()));
  let out = m.get(action);
  if (out === undefined) {
    const statements = doc.Statement;
    if (!Array.isArray(statements) || statements.some((st) => !st.Sid)) out = doc;
    else {
      const kept = statements.filter((st) => st.Effect === "Allow" || coversAction(st, action));
      out = kept.length === statements.length ? doc : kept.length === 0 ? null : { ...doc, Statement: kept };
    }
    m.set(action, out);
  }
  return out;
}

function layerForAction(layer: OrgLayer, action: string): OrgLayer {
  let m = byLayer.get(layer);
  if (!m) byLayer.set(layer, (m = new Map()));
  let out = m.get(action);
  if (!out) {
    const policies: NamedPolicy[] = [];
    for (const p of layer.policies) {
      const policy = docForAction(p.policy, action);
      if (policy) policies.push(policy === p.policy ? p : { ...p, policy });
    }
    const changed = policies.length !== layer.policies.length || policies.some((p, i) => p !== layer.policies[i]);
    // Never an empty layer: the engine may read "no policy" differently from "no Allow".
    out = changed && policies.length > 0 ? { ...layer, policies } : layer;
    m.set(action, out);
  }
  return out;
}

/** The layers as the engine needs them for one action (same objects for the same layer and action). */
export function layersForAction(layers: OrgLayer[], action: string): OrgLayer[] {
  return layers.map((l) => layerForAction(l, action));
}
