// The SCPs in a workload stack's plan: the real dev plan (index.ts under the plan runner) judged with
// the org stack's SCPs (Pulumi.org.yaml's organization section, built by iam/scp.ts).
import { strict as assert } from "node:assert";
import { parse } from "yaml";
import * as fs from "node:fs";
import * as path from "node:path";
import { organizationSchema } from "../config/org";
import { buildScps } from "../iam/scp";
import { SCP_LABEL_PREFIX, applyScpDocuments, isBreach, renderScpMatrixSection } from "../plan/orgScps";
import type { AccessCell } from "../plan/types";
import { planFor } from "./support/plans";

const orgYaml = parse(fs.readFileSync(path.join(__dirname, "..", "Pulumi.org.yaml"), "utf8")) as { config: Record<string, unknown> };
const organization = organizationSchema.parse(orgYaml.config["model-vault:organization"]);
const scps = buildScps(organization, { maxDocuments: 4 }).documents;

describe("org: SCP rows in a workload stack's plan (dev plan + Pulumi.org.yaml's SCPs)", () => {
  let cells: AccessCell[] = [];
  let failures: string[] = [];
  let warnings: string[] = [];
  let text = "";

  before(async () => {
    const { plan, config } = await planFor("dev");
    // A copy: the cached plan is shared with other specs.
    // A copy without the SCP rows the plan already has (from Pulumi.dev.yaml's scpStack): the rows below are only these.
    const copy = { ...plan, access: (plan.access ?? []).filter((c) => !c.label.startsWith(SCP_LABEL_PREFIX)), warnings: [...(plan.warnings ?? [])] };
    failures = [];
    await applyScpDocuments({ plan: copy, config: { accountId: config.accountId, scpStack: "org" }, failures }, "org", scps, organization, {
      deployerRoleArn: config.access.deployerRoleArn,
    });
    cells = (copy.access ?? []).filter((c) => c.label.startsWith(SCP_LABEL_PREFIX));
    warnings = copy.warnings ?? [];
    text = renderScpMatrixSection(copy).join("\n");
  });

  const cell = (labelPart: string, action: string) => {
    const c = cells.find((x) => x.label.includes(labelPart) && x.action === action);
    assert.ok(c, `no row for ${labelPart} ${action}`);
    return c;
  };

  it("the dev bucket, elevated role and trail match the org stack's patterns (no warning)", () => {
    assert.deepEqual(warnings.filter((w) => /does not match organization\./.test(w)), []);
  });

  it("the trail rows use the plan's real trail", () => {
    assert.match(cell("workload administrator", "cloudtrail:StopLogging").resource, /:trail\/dev-audit$/);
  });

  it("the audit logs are on record for good: the administrator can neither delete them nor re-policy their bucket", () => {
    const logs = cells.filter((c) => c.label.includes("workload administrator") && c.resource.includes("acme-model-weights-dev-audit"));
    assert.deepEqual(logs.map((c) => [c.action, c.decision]), [
      ["s3:DeleteObject", "ExplicitlyDenied"],
      ["s3:PutBucketPolicy", "ExplicitlyDenied"],
    ]);
    assert.deepEqual(warnings.filter((w) => /audit log bucket/.test(w)), []);
  });

  it("an all-powerful workload administrator is denied deletes and security changes, by the SCP", () => {
    for (const a of ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject", "s3:PutBucketPolicy", "s3:PutBucketVersioning", "s3:PutAccountPublicAccessBlock", "cloudtrail:StopLogging", "iam:UpdateAssumeRolePolicy", "organizations:LeaveOrganization"]) {
      const c = cell("workload administrator", a);
      assert.equal(c.decision, "ExplicitlyDenied", a);
      assert.match(c.by, /^scp\//, `${a}: ${c.by}`);
    }
  });

  it("the deployer keeps its security rights; the elevated role keeps exactly its rights; no breach", () => {
    assert.equal(cell("deployer", "s3:PutBucketPolicy").principal, "arn:aws:iam::111111111111:role/model-vault-deployer");
    assert.equal(cell("deployer", "s3:PutBucketPolicy").decision, "Allowed");
    assert.equal(cell("deployer", "iam:PutRolePolicy").decision, "Allowed");
    assert.equal(cell("deployer", "s3:DeleteObject").decision, "ExplicitlyDenied");
    for (const c of cells.filter((x) => x.label.includes("elevated"))) assert.notEqual(c.expected, undefined);
    assert.deepEqual(cells.filter(isBreach), []);
    assert.deepEqual(failures, []);
  });

  it("the JIT broker: the revoker keeps its revocation write, the issuer its table writes; the administrator gets neither", () => {
    assert.deepEqual(warnings.filter((w) => /JIT broker/.test(w)), []);
    const revoker = cells.filter((c) => c.label.includes("JIT revoker"));
    assert.equal(revoker.find((c) => c.action === "iam:PutRolePolicy" && /access-publisher/.test(c.resource))?.decision, "Allowed");
    assert.equal(revoker.find((c) => c.action === "iam:DeleteRolePolicy" && /access-publisher/.test(c.resource))?.decision, "Allowed");
    assert.equal(cells.find((c) => c.label.includes("JIT issuer") && c.action === "dynamodb:PutItem")?.decision, "Allowed");
    for (const a of ["lambda:UpdateFunctionCode", "dynamodb:PutItem"]) {
      const c = cell("workload administrator", a);
      assert.equal(c.decision, "ExplicitlyDenied", a);
      assert.match(c.resource, /model-vault-jit-/);
    }
    assert.equal(cells.filter((c) => c.label.includes("workload administrator") && c.action === "iam:UpdateAssumeRolePolicy" && /jit-issuer/.test(c.resource))[0]?.decision, "ExplicitlyDenied");
  });

  it("SCPs that do not know the broker are a breach: the revoker could not revoke", async () => {
    const { plan, config } = await planFor("dev");
    const copy = { ...plan, access: [], warnings: [] };
    const failed: string[] = [];
    // An organization config written before the broker existed: no jitNamePrefix at all.
    const unawareOrg = { ...organization, jitNamePrefix: undefined } as unknown as typeof organization;
    const unaware = buildScps(unawareOrg, { maxDocuments: 4 }).documents;
    await applyScpDocuments({ plan: copy, config: { accountId: config.accountId, scpStack: "org" }, failures: failed }, "org", unaware, unawareOrg, {
      deployerRoleArn: config.access.deployerRoleArn,
    });
    assert.ok(failed.some((f) => /JIT revoker .*iam:PutRolePolicy .*access-publisher.* is ExplicitlyDenied, expected Allowed/.test(f)), failed.join("\n"));
    assert.ok((copy.warnings as string[]).some((w) => /JIT broker API function .* does not match organization\.jitNamePrefix/.test(w)));
  });

  it("the model and audit keys and the distribution, found by their tags: only the deployer may destroy or re-open them", () => {
    const rows = (who: string) => cells.filter((c) => c.label.includes(who) && ["kms:ScheduleKeyDeletion", "cloudfront:UpdateDistribution"].includes(c.action));
    const admin = rows("workload administrator");
    assert.deepEqual(admin.map((c) => c.action).sort(), ["cloudfront:UpdateDistribution", "kms:ScheduleKeyDeletion", "kms:ScheduleKeyDeletion"]);
    for (const c of admin) assert.match(`${c.decision} ${c.by}`, /^ExplicitlyDenied scp\/.*DenyModelVaultKeyAndCdnChangesExceptDeployer$/, c.resource);
    // The deployer is allowed by its identity policy and the real key policies.
    for (const c of rows("deployer")) assert.equal(c.decision, "Allowed", `${c.action} ${c.resource}`);
  });

  it("the plan text shows the rows", () => {
    assert.match(text, /workload administrator .*\n(.*\n)*\s+ok\s+ExplicitlyDenied\s+s3:DeleteObject/);
  });
});
