// plan/layersForAction.ts drops, per action, the SCP and RCP Deny statements that cannot match it
// before the engine sees them. The claim is that no decision and no explanation changes: checked
// here with the IAM engine over the org plan's own SCPs and RCPs, every literal action they name
// asked on the resources they name (and on resources of other statements), by an administrator,
// the deployer and the publisher, with and without the cut.
import { strict as assert } from "node:assert";
import { getDenialReasons, runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { asArray, type PolicyDocument } from "../iam/types";
import { layersForAction } from "../plan/layersForAction";
import { FULL_AWS_ACCESS, type OrgLayer } from "../plan/orgLayers";
import { ADMINISTRATOR_ACCESS } from "../plan/planDocuments";
import { orgPolicyDocuments } from "./support/plans";

const ACCOUNT = "111111111111";
const PRINCIPALS = [
  `arn:aws:iam::${ACCOUNT}:role/workload-admin`,
  `arn:aws:iam::${ACCOUNT}:role/model-vault-deployer`,
  `arn:aws:iam::${ACCOUNT}:role/model-vault/access-publisher-elevated`,
];

/** A concrete ARN a pattern matches (each wildcard one character), or undefined for "*". */
const concrete = (pattern: string) => (pattern === "*" ? undefined : pattern.replace(/\*/g, "x").replace(/\?/g, "y"));

async function outcome(sim: Simulation): Promise<string | undefined> {
  const r = await runSimulation(sim, {});
  if (r.resultType !== "single") return undefined; // an action the engine will not ask on that resource
  // A statement with a Sid is named by it (plan/iamEval.ts statementLabel): its index within the cut
  // document is the one thing that moves.
  const denials = getDenialReasons(r.result.analysis!)
    .map((d) => JSON.stringify("statementId" in d && d.statementId ? { ...d, statementIndex: undefined } : d))
    .sort();
  return `${r.overallResult} ${denials.join(" ")}`;
}

describe("control policies cut to the action (plan/layersForAction.ts)", function () {
  this.timeout(300_000);
  let scps: OrgLayer[];
  let rcps: OrgLayer[];
  let requests: { action: string; resource: string }[];
  before(async () => {
    const docs = async (type: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY") => (await orgPolicyDocuments(type)).map((policy, i) => ({ name: `${type}-${i}`, policy }));
    scps = [{ orgIdentifier: "ou-test", policies: [{ name: "FullAWSAccess", policy: FULL_AWS_ACCESS }, ...(await docs("SERVICE_CONTROL_POLICY"))] }];
    rcps = [{ orgIdentifier: "ou-test", policies: await docs("RESOURCE_CONTROL_POLICY") }];
    const statements = [...scps[0].policies, ...rcps[0].policies].flatMap((p) => p.policy.Statement);
    const resources = [...new Set(statements.flatMap((s) => asArray(s.Resource ?? []).map(concrete)).filter((r): r is string => !!r))];
    requests = [];
    for (const [i, s] of statements.entries()) {
      const own = asArray(s.Resource ?? []).map(concrete).filter((r): r is string => !!r);
      // Its own resources, and two of other statements (where the cut removes the statement that names them).
      const others = [resources[i % resources.length], resources[(i * 7 + 3) % resources.length]];
      for (const action of asArray(s.Action ?? []).filter((a) => !a.includes("*"))) for (const resource of [...own, ...others]) requests.push({ action, resource });
    }
  });

  it("answers every question as the whole layers do: same decision, same explicit denials", async () => {
    let asked = 0;
    let cut = 0;
    const decisions = new Set<string>();
    for (const { action, resource } of requests) {
      for (const principal of PRINCIPALS) {
        const base = {
          request: { principal, action, resource: { resource, accountId: ACCOUNT }, contextVariables: { "aws:PrincipalArn": principal, "aws:SecureTransport": "true", "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
          identityPolicies: [{ name: "admin", policy: ADMINISTRATOR_ACCESS }],
        };
        const whole = await outcome({ ...base, serviceControlPolicies: scps, resourceControlPolicies: rcps });
        if (whole === undefined) continue;
        const cutScps = layersForAction(scps, action);
        const cutRcps = layersForAction(rcps, action);
        if (cutScps[0] !== scps[0] || cutRcps[0] !== rcps[0]) cut++;
        assert.equal(await outcome({ ...base, serviceControlPolicies: cutScps, resourceControlPolicies: cutRcps }), whole, `${principal} ${action} ${resource}`);
        asked++;
        decisions.add(whole.split(" ")[0]);
      }
    }
    // Not vacuous: many questions, most of them under a cut layer, both outcomes seen.
    assert.ok(asked >= 300, `asked ${asked}`);
    assert.ok(cut >= asked / 2, `cut ${cut} of ${asked}`);
    assert.deepEqual([...decisions].sort(), ["Allowed", "ExplicitlyDenied"]);
  });

  it("returns the same objects for the same layer and action (the answer cache digests documents by identity)", () => {
    assert.equal(layersForAction(scps, "s3:PutObject")[0], layersForAction(scps, "s3:PutObject")[0]);
    assert.notEqual(layersForAction(scps, "s3:PutObject")[0], scps[0]);
  });

  it("keeps whole a document with a statement without a Sid (the engine names those by index), and never empties a layer", () => {
    const noSid: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "A", Effect: "Deny", Action: "s3:PutObject", Resource: "*" }, { Effect: "Deny", Action: "kms:Decrypt", Resource: "*" }] };
    const denyOnly: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "B", Effect: "Deny", Action: "s3:PutObject", Resource: "*" }] };
    const layer: OrgLayer = { orgIdentifier: "ou-x", policies: [{ name: "no-sid", policy: noSid }] };
    assert.equal(layersForAction([layer], "sts:AssumeRole")[0], layer);
    const only: OrgLayer = { orgIdentifier: "ou-y", policies: [{ name: "deny-only", policy: denyOnly }] };
    assert.equal(layersForAction([only], "sts:AssumeRole")[0], only);
    const mixed: OrgLayer = { orgIdentifier: "ou-z", policies: [{ name: "full", policy: FULL_AWS_ACCESS }, { name: "deny-only", policy: denyOnly }] };
    assert.deepEqual(layersForAction([mixed], "sts:AssumeRole")[0].policies.map((p) => p.name), ["full"]);
    assert.deepEqual(layersForAction([mixed], "s3:PutObject")[0].policies.map((p) => p.name), ["full", "deny-only"]);
  });
});
