// The SCPs in a workload stack's plan: the real dev plan (index.ts under the plan runner) judged with
// the org stack's SCPs (Pulumi.org.yaml's organization section, built by iam/scp.ts).
import { strict as assert } from "node:assert";
import { parse } from "yaml";
import * as fs from "node:fs";
import * as path from "node:path";
import { organizationSchema } from "../config/org";
import { buildScps } from "../iam/scp";
import { applyScpDocuments, isBreach, renderScpMatrixSection, uncoveredPeople } from "../plan/orgScps";
import type { AccessCell } from "../plan/types";
import { planFor, withoutStatement } from "./support/plans";

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
    const copy = { ...plan, access: (plan.access ?? []).filter((c) => c.kind !== "scp"), warnings: [...(plan.warnings ?? [])] };
    failures = [];
    await applyScpDocuments({ plan: copy, config: { accountId: config.accountId, scpStack: "org" }, failures }, "org", scps, organization, {
      deployerRoleArn: config.access.deployerRoleArn,
    });
    cells = (copy.access ?? []).filter((c) => c.kind === "scp");
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
      assert.match(c.by, /^scp:/, `${a}: ${c.by}`);
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

  it("the model, audit and alarm keys and the distribution, found by their tags: only the deployer may destroy or re-open them", () => {
    const rows = (who: string) => cells.filter((c) => c.label.includes(who) && ["kms:ScheduleKeyDeletion", "cloudfront:UpdateDistribution"].includes(c.action));
    const admin = rows("workload administrator");
    assert.deepEqual(admin.map((c) => c.action).sort(), ["cloudfront:UpdateDistribution", "kms:ScheduleKeyDeletion", "kms:ScheduleKeyDeletion", "kms:ScheduleKeyDeletion"]);
    for (const c of admin) assert.match(`${c.decision} ${c.by}`, /^ExplicitlyDenied scp:.*DenyModelVaultKeyAndCdnChangesExceptDeployer$/, c.resource);
    // The deployer is allowed by its identity policy and the real key policies.
    for (const c of rows("deployer")) assert.equal(c.decision, "Allowed", `${c.action} ${c.resource}`);
  });

  it("the plan text shows the rows", () => {
    assert.match(text, /workload administrator .*\n(.*\n)*\s+ok\s+ExplicitlyDenied\s+s3:DeleteObject/);
  });
});

describe("org: issue 12's SCP rows in the dev plan (the broker under the SCPs)", () => {
  let cells: AccessCell[] = [];
  const rows = (labelPart: string, action: string, resource?: RegExp) =>
    cells.filter((c) => c.label.includes(labelPart) && c.action === action && (!resource || resource.test(c.resource)));

  before(async () => {
    const { plan } = await planFor("dev");
    cells = (plan.access ?? []).filter((c) => c.kind === "scp");
  });

  it("the plan's own SCP rows (scpStack: org) have no breach", () => {
    assert.deepEqual(cells.filter(isBreach), []);
  });

  it("the administrator is denied direct invoke, PassRole, the trigger, schedules, the topic, the table's TTL and the people's roles", () => {
    const denied: [string, RegExp][] = [
      ["lambda:InvokeFunction", /function:model-vault-jit-revoker-/],
      ["iam:PassRole", /jit-issuer-/],
      ["iam:PassRole", /jit-revoker-/],
      ["iam:PassRole", /jit-scheduler-/],
      ["lambda:DeleteEventSourceMapping", /event-source-mapping:/],
      ["scheduler:DeleteSchedule", /schedule\/model-vault-jit-windows-.*\/jit-/],
      ["scheduler:CreateSchedule", /schedule\/model-vault-jit-windows-/],
      ["sns:Subscribe", /model-vault-jit-notices-/],
      ["dynamodb:UpdateTimeToLive", /table\/model-vault-jit-requests-/],
      // A people's role the workload config names (the first the org patterns cover, not Identity Center's).
      ["iam:UpdateAssumeRolePolicy", /:role\/(?!model-vault\/)[^/]+$/],
    ];
    for (const [action, res] of denied) {
      const [c] = rows("workload administrator", action, res);
      assert.ok(c, `no row ${action} ${res}`);
      assert.match(`${c.decision} ${c.by}`, /^ExplicitlyDenied scp:/, `${action} ${c.resource}`);
    }
    // The direct invoke is denied; the URL call (lambda:InvokedViaFunctionUrl) is not the SCP's business.
    const api = rows("workload administrator", "lambda:InvokeFunction", /function:model-vault-jit-api-/).map((c) => c.decision);
    assert.deepEqual(api, ["ExplicitlyDenied", "Allowed"]);
    assert.equal(rows("workload administrator", "lambda:InvokeFunctionUrl")[0]?.decision, "Allowed");
  });

  it("the elevated role, as deployed, is denied version deletes, governance bypass and every log delete", () => {
    for (const [action, res] of [
      ["s3:DeleteObjectVersion", /acme-model-weights-dev\/models/],
      ["s3:BypassGovernanceRetention", /acme-model-weights-dev\/models/],
      ["s3:DeleteObject", /acme-model-weights-dev-audit\//],
      ["s3:DeleteObject", /acme-model-weights-dev-logs\//],
    ] as const) {
      const [c] = rows("elevated role", action, res);
      assert.match(`${c.decision} ${c.by}`, /^ExplicitlyDenied scp:/, `${action} ${c.resource}`);
    }
    // Neither may the deployer touch the logs.
    assert.equal(rows("deployer", "s3:DeleteObject", /-logs\//)[0]?.decision, "ExplicitlyDenied");
  });

  it("the broker's roles keep what the broker needs", () => {
    assert.equal(rows("JIT scheduler role", "lambda:InvokeFunction", /function:model-vault-jit-revoker-/)[0]?.decision, "Allowed");
    assert.equal(rows("JIT issuer role", "iam:PassRole", /jit-scheduler-/)[0]?.decision, "Allowed");
    assert.equal(rows("JIT issuer role", "scheduler:CreateSchedule")[0]?.decision, "Allowed");
    assert.equal(rows("JIT revoker role", "iam:PutRolePolicy", /access-publisher-/)[0]?.decision, "Allowed");
    // ... and nothing of each other's.
    assert.equal(rows("JIT scheduler role", "iam:PassRole", /jit-scheduler-/)[0]?.decision, "ExplicitlyDenied");
    assert.equal(rows("JIT revoker role", "scheduler:CreateSchedule")[0]?.decision, "ExplicitlyDenied");
  });

  it("SCPs without the direct-invoke, PassRole, trigger or people statements are a breach in the plan", async () => {
    const { plan, config } = await planFor("dev");
    for (const sid of ["DenyJitApiDirectInvokeExceptDeployer", "DenyJitRolePassExceptDeployer", "DenyJitTriggerChangesExceptDeployer", "DenyPeopleChangesExceptDeployer"]) {
      const weakened = withoutStatement(scps, sid);
      const copy = { ...plan, access: [], warnings: [] };
      const failed: string[] = [];
      await applyScpDocuments({ plan: copy, config: { ...config, scpStack: "org" }, failures: failed }, "org", weakened, organization, {
        deployerRoleArn: config.access.deployerRoleArn,
      });
      assert.ok(failed.some((f) => /workload administrator|elevated role/.test(f)), `${sid}: ${failed.join("\n")}`);
    }
  });
});

describe("org: the people's roles named by a workload stack are covered by the org's patterns", () => {
  const base = { accountId: "222222222222", scpStack: "org" };
  const jit = {
    requesters: ["arn:aws:sts::222222222222:assumed-role/ml-release-engineers/*"],
    approvers: ["arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_MLLeads_0123456789abcdef/alice"],
    breakGlass: ["arn:aws:sts::222222222222:assumed-role/ml-oncall/*"],
  };
  const access = { deployerRoleArn: null, publisher: { trustedPrincipals: ["arn:aws:iam::222222222222:role/ml-release-engineers"] } };

  it("roles covered by organization.humanRolePatterns and Identity Center roles pass", () => {
    assert.deepEqual(uncoveredPeople({ ...base, jit, access }, organization), []);
    // Identity Center entries by permission set (any user of it), and a mapped person's role and user.
    const sets = {
      people: [{ name: "dave", principals: ["arn:aws:iam::222222222222:role/dave-release"] }],
      requesters: ["arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_MLReleaseEngineers_*/*", "person:dave"],
      approvers: ["arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_MLLeads_0123456789abcdef", "arn:aws:iam::222222222222:user/ml-lead-carol"],
    };
    assert.deepEqual(uncoveredPeople({ ...base, jit: sets }, organization), []);
  });

  it("a mapped person's role (jit.people) must be covered too", () => {
    const problems = uncoveredPeople({ ...base, jit: { people: [{ name: "eve", principals: ["arn:aws:iam::222222222222:role/eve-release"] }] } }, organization);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^jit\.people\[0\]\.principals\[0\]: role eve-release /);
  });

  it("an uncovered role, a user outside the user patterns and a non-role principal are each named with their key", () => {
    const problems = uncoveredPeople(
      {
        ...base,
        jit: {
          ...jit,
          // Entries whose shape another branch may change: the ARNs inside are what counts.
          approvers: [{ person: "alice", principal: "arn:aws:sts::222222222222:assumed-role/team-leads/alice" }],
          requesters: ["arn:aws:iam::222222222222:user/contractors/eve", "arn:aws:iam::222222222222:user/ml-people/dave"],
        },
        access: { deployerRoleArn: null, publisher: { trustedPrincipals: ["arn:aws:sts::222222222222:federated-user/bob"] } },
      },
      organization,
    );
    assert.equal(problems.length, 3, problems.join("\n"));
    assert.match(problems[0], /^jit\.requesters\[0\]: IAM user contractors\/eve .*organization\.humanUserPatterns/);
    assert.match(problems[1], /^jit\.approvers\[0\]\.principal: role team-leads .*not an IAM Identity Center role.*humanRolePatterns/);
    assert.match(problems[2], /^publisher\.trustedPrincipals\[0\]: .*federated-user\/bob is neither a role nor an IAM user/);
  });

  it("a look-alike role outside Identity Center's path is not taken for one", () => {
    const problems = uncoveredPeople({ ...base, jit: { approvers: ["arn:aws:iam::222222222222:role/fake/AWSReservedSSO_Admin_0123"] } }, organization);
    assert.equal(problems.length, 1);
  });

  it("prod: an uncovered people's role fails the plan; dev: it is a warning", async () => {
    const { plan, config } = await planFor("dev");
    const bare = { ...organization, humanRolePatterns: [], humanUserPatterns: [] };
    for (const environment of ["prod", "dev"]) {
      const copy = { ...plan, access: [], warnings: [] as string[] };
      const failed: string[] = [];
      await applyScpDocuments({ plan: copy, config: { ...config, environment }, failures: failed }, "org", scps, bare, { deployerRoleArn: config.access.deployerRoleArn });
      const where = environment === "prod" ? failed : copy.warnings;
      const other = environment === "prod" ? copy.warnings : failed;
      assert.ok(where.some((m) => /^.*publisher\.trustedPrincipals\[0\]: role ml-release-engineers .*humanRolePatterns/.test(m)), `${environment}: ${where.join("\n")}`);
      assert.ok(!other.some((m) => /humanRolePatterns/.test(m)));
    }
  });
});
