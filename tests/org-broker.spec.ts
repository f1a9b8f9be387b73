// Attacks on the JIT broker and the elevated role, played against the org stack's real SCPs
// (Pulumi.org.yaml's organization section, built by iam/scp.ts) with the IAM engine: an account
// administrator (AdministratorAccess), a requester following the caller policy, the elevated role
// itself, and the broker's own roles with their real policies (jit/trust.ts), which must keep what
// the broker needs. Each attack was allowed by the SCPs before issue 12 (see the commit history).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { maxGuardrailDocuments, organizationSchema } from "../config/org";
import { SCP_MAX_CHARS, buildScps } from "../iam/scp";
import { policyDocument, type PolicyDocument } from "../iam/types";
import { issuerPolicy, revokerPolicy, schedulerPolicy, type BrokerArns } from "../jit/trust";
import { ADMINISTRATOR_ACCESS, evaluate } from "../plan/orgScps";
import type { AccessDecision } from "../plan/types";

const orgYaml = parse(fs.readFileSync(path.join(__dirname, "..", "Pulumi.org.yaml"), "utf8")) as { config: Record<string, unknown> };
const org = organizationSchema.parse(orgYaml.config["model-vault:organization"]);
const packed = buildScps(org, { maxDocuments: maxGuardrailDocuments(org) });
const scps = packed.documents;

const ACCOUNT = "111111111111";
const BUCKET = "acme-model-weights-dev";
const P = org.jitNamePrefix;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const ADMIN = role("workload-admin");
const DEPLOYER = role("model-vault-deployer");
const ELEVATED = role("model-vault/access-publisher-dev");
const ISSUER = role(`model-vault/${P}-issuer-a38c3a0`);
const REVOKER = role(`model-vault/${P}-revoker-e3a31c7`);
const SCHEDULER = role(`model-vault/${P}-scheduler-64f4887`);
const API_FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${P}-api-dev`;
const REVOKER_FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${P}-revoker-e3a31c7`;
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${P}-requests-9877ca9`;
const GROUP = `${P}-windows-0584c63`;
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:${P}-notices-8a3d500`;
const ESM = `arn:aws:lambda:us-east-1:${ACCOUNT}:event-source-mapping:fa123456-14a1-4fd2-9fec-83de64ad683d`;
// Every broker ARN but the function's own, which each role's policy adds (inFunction).
const arns = {
  accountId: ACCOUNT,
  region: "us-east-1",
  tableArn: TABLE,
  topicArn: TOPIC,
  elevatedRoleArn: ELEVATED,
  scheduleGroupName: GROUP,
  schedulerRoleArn: SCHEDULER,
  logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${P}-api-logs-d36636f`,
  streamArn: `${TABLE}/stream/2026-01-01T00:00:00.000`,
} satisfies Omit<BrokerArns, "functionArn">;
// A broker role's policies as its own function holds them: a Lambda execution role's session carries
// lambda:SourceFunctionArn, which the broker's roles may be pinned to (components/JitBroker.ts).
const ownPolicy = (build: (a: BrokerArns) => ReturnType<typeof issuerPolicy>, functionArn: string) => [policyDocument(build(inFunction(functionArn)))];
const inFunction = (functionArn: string) => ({ ...arns, functionArn });
const inside = (functionArn: string) => ({ "lambda:SourceFunctionArn": functionArn });
const base = { accountId: ACCOUNT, bucketName: BUCKET };
const admin = [ADMINISTRATOR_ACCESS];

async function decide(who: string, action: string, resource: string, identity: PolicyDocument[], context: Record<string, string> = {}, withScps = true) {
  return evaluate(who, action, resource, base, identity, withScps ? scps : null, { context });
}

/** Allowed without the SCPs (so the attack is real), ExplicitlyDenied by an SCP statement with them. */
async function refused(who: string, action: string, resource: string, identity: PolicyDocument[], context: Record<string, string> = {}) {
  assert.equal((await decide(who, action, resource, identity, context, false)).decision, "Allowed", `${action} on ${resource} without the SCPs`);
  const r = await decide(who, action, resource, identity, context);
  assert.equal(r.decision, "ExplicitlyDenied", `${who} ${action} on ${resource}: ${r.by}`);
  assert.match(r.by, /^scp:/, `${action}: decided by ${r.by}`);
}

async function allowed(who: string, action: string, resource: string, identity: PolicyDocument[], context: Record<string, string> = {}) {
  const r = await decide(who, action, resource, identity, context);
  assert.equal(r.decision, "Allowed" satisfies AccessDecision, `${who} ${action} on ${resource}: ${r.by}`);
}

describe("org: attacks on the JIT broker under the SCPs (issue 12)", () => {
  describe("the broker's API function answers only through its URL", () => {
    // Whoever invokes the function directly writes the whole event, requestContext.authorizer.iam included.
    const callerPolicy: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"], Resource: API_FN }],
    };
    const REQUESTER = role("ml-release-engineers");

    it("an administrator, or a requester holding the caller policy, cannot invoke it directly (forged identity)", async () => {
      await refused(ADMIN, "lambda:InvokeFunction", API_FN, admin);
      await refused(ADMIN, "lambda:InvokeFunction", `${API_FN}:$LATEST`, admin);
      await refused(ADMIN, "lambda:InvokeFunction", API_FN, admin, { "lambda:InvokedViaFunctionUrl": "false" });
      await refused(REQUESTER, "lambda:InvokeFunction", API_FN, [callerPolicy]);
    });

    it("calls through the function URL still pass (both permissions AWS checks on a URL call)", async () => {
      await allowed(REQUESTER, "lambda:InvokeFunctionUrl", API_FN, [callerPolicy]);
      await allowed(REQUESTER, "lambda:InvokeFunction", API_FN, [callerPolicy], { "lambda:InvokedViaFunctionUrl": "true" });
      await allowed(DEPLOYER, "lambda:InvokeFunction", API_FN, admin);
    });

    it("the revoker is invoked only by the scheduler role (window ends), never directly by an administrator", async () => {
      await refused(ADMIN, "lambda:InvokeFunction", REVOKER_FN, admin);
      await refused(ADMIN, "lambda:InvokeFunction", REVOKER_FN, admin, { "lambda:InvokedViaFunctionUrl": "true" });
      await allowed(SCHEDULER, "lambda:InvokeFunction", REVOKER_FN, [policyDocument(schedulerPolicy(REVOKER_FN))]);
      await allowed(DEPLOYER, "lambda:InvokeFunction", REVOKER_FN, admin);
    });
  });

  describe("the broker's roles cannot be borrowed", () => {
    it("an administrator cannot pass the issuer, revoker, scheduler or elevated role to a function of their own", async () => {
      for (const r of [ISSUER, REVOKER, ELEVATED]) await refused(ADMIN, "iam:PassRole", r, admin, { "iam:PassedToService": "lambda.amazonaws.com" });
      await refused(ADMIN, "iam:PassRole", SCHEDULER, admin, { "iam:PassedToService": "scheduler.amazonaws.com" });
    });

    it("the issuer still passes the scheduler role to EventBridge Scheduler; the deployer passes the functions' roles", async () => {
      await allowed(ISSUER, "iam:PassRole", SCHEDULER, ownPolicy(issuerPolicy, API_FN), { "iam:PassedToService": "scheduler.amazonaws.com", ...inside(API_FN) });
      await allowed(DEPLOYER, "iam:PassRole", ISSUER, admin, { "iam:PassedToService": "lambda.amazonaws.com" });
      await allowed(DEPLOYER, "iam:PassRole", REVOKER, admin, { "iam:PassedToService": "lambda.amazonaws.com" });
    });

    it("the revoker still writes the elevated role's revocation policy", async () => {
      for (const a of ["iam:PutRolePolicy", "iam:DeleteRolePolicy"]) await allowed(REVOKER, a, ELEVATED, ownPolicy(revokerPolicy, REVOKER_FN), inside(REVOKER_FN));
    });
  });

  describe("the elevated role's exemptions are exactly publishing", () => {
    // The SCP must cap the elevated role whatever its own policies say (a rewritten inline policy included).
    const everything: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
    const obj = `arn:aws:s3:::${BUCKET}/models/llama/model.safetensors`;
    const auditLog = `arn:aws:s3:::${BUCKET}-audit/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/12/02/x.json.gz`;
    const accessLog = `arn:aws:s3:::${BUCKET}-logs/s3/2026-12-02-00-00-00-ABCDEF`;

    it("publishes: PutObject and DeleteObject on the model bucket", async () => {
      for (const a of ["s3:PutObject", "s3:DeleteObject"]) await allowed(ELEVATED, a, obj, [everything]);
    });

    it("cannot delete versions, bypass or change retention, legal hold, ACLs, or restore", async () => {
      for (const a of ["s3:DeleteObjectVersion", "s3:BypassGovernanceRetention", "s3:PutObjectRetention", "s3:PutObjectLegalHold", "s3:PutObjectAcl", "s3:PutObjectVersionAcl", "s3:RestoreObject"])
        await refused(ELEVATED, a, obj, [everything]);
    });

    it("cannot write or delete audit-trail or access-log objects; neither can the deployer", async () => {
      for (const res of [auditLog, accessLog])
        for (const who of [ELEVATED, DEPLOYER]) for (const a of ["s3:DeleteObject", "s3:PutObject", "s3:DeleteObjectVersion"]) await refused(who, a, res, [everything]);
    });

    it("the deployer alone keeps version deletes and governance bypass on the model bucket", async () => {
      for (const a of ["s3:DeleteObjectVersion", "s3:BypassGovernanceRetention", "s3:PutObjectRetention"]) await allowed(DEPLOYER, a, obj, admin);
      await refused(ADMIN, "s3:DeleteObjectVersion", obj, admin);
    });
  });

  describe("the broker's plumbing is the deployer's alone", () => {
    it("the functions: no new code, no throttling to zero, no dropped window-end invocations, no name squatting", async () => {
      for (const a of ["lambda:UpdateFunctionCode", "lambda:PutFunctionConcurrency", "lambda:PutFunctionEventInvokeConfig", "lambda:UpdateFunctionUrlConfig"])
        await refused(ADMIN, a, REVOKER_FN, admin);
      await refused(ADMIN, "lambda:CreateFunction", `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${P}-api-prod`, admin);
    });

    it("the publisher's permissions boundary (a managed policy under /model-vault/) cannot be rewritten", async () => {
      const boundary = `arn:aws:iam::${ACCOUNT}:policy/model-vault/model-vault-publisher-boundary-1a2b3c4`;
      for (const a of ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy"]) await refused(ADMIN, a, boundary, admin);
      await refused(ADMIN, "iam:DeleteRolePermissionsBoundary", ELEVATED, admin);
    });

    it("the revocation trigger: an administrator cannot delete, disable or re-point the event-source mapping", async () => {
      for (const fn of [REVOKER_FN, API_FN])
        for (const a of ["lambda:DeleteEventSourceMapping", "lambda:UpdateEventSourceMapping"]) await refused(ADMIN, a, ESM, admin, { "lambda:FunctionArn": fn });
      await refused(ADMIN, "lambda:CreateEventSourceMapping", "*", admin, { "lambda:FunctionArn": REVOKER_FN });
      await allowed(DEPLOYER, "lambda:DeleteEventSourceMapping", ESM, admin, { "lambda:FunctionArn": REVOKER_FN });
      // Another team's mappings are not the SCP's business.
      await allowed(ADMIN, "lambda:DeleteEventSourceMapping", ESM, admin, { "lambda:FunctionArn": `arn:aws:lambda:us-east-1:${ACCOUNT}:function:team-app` });
    });

    it("the window-end schedules and their group: no delete, update or re-tag; only the issuer creates schedules", async () => {
      const schedule = `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/${GROUP}/jit-r-123`;
      const group = `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/${GROUP}`;
      for (const a of ["scheduler:DeleteSchedule", "scheduler:UpdateSchedule", "scheduler:CreateSchedule"]) await refused(ADMIN, a, schedule, admin);
      for (const a of ["scheduler:DeleteScheduleGroup", "scheduler:TagResource", "scheduler:UntagResource"]) await refused(ADMIN, a, group, admin);
      await allowed(ISSUER, "scheduler:CreateSchedule", schedule, ownPolicy(issuerPolicy, API_FN), inside(API_FN));
      await allowed(DEPLOYER, "scheduler:DeleteScheduleGroup", group, admin);
    });

    it("the notice topic: no new subscriber (leak), no unsubscribe (silence), no re-policy or deletion", async () => {
      for (const a of ["sns:Subscribe", "sns:SetTopicAttributes", "sns:DeleteTopic", "sns:AddPermission", "sns:RemovePermission", "sns:PutDataProtectionPolicy"])
        await refused(ADMIN, a, TOPIC, admin);
      // Both name the topic as their (optional) resource in the service authorization reference.
      for (const a of ["sns:Unsubscribe", "sns:SetSubscriptionAttributes"]) await refused(ADMIN, a, TOPIC, admin);
      await allowed(ISSUER, "sns:Publish", TOPIC, ownPolicy(issuerPolicy, API_FN), inside(API_FN));
      await allowed(DEPLOYER, "sns:Subscribe", TOPIC, admin);
    });

    it("the request table: no TTL, point-in-time recovery, stream or resource-policy change, no deletion", async () => {
      for (const a of ["dynamodb:UpdateTimeToLive", "dynamodb:UpdateContinuousBackups", "dynamodb:UpdateTable", "dynamodb:DeleteTable", "dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy"])
        await refused(ADMIN, a, TABLE, admin);
      // ... not even by the broker's own roles, which never need it.
      await refused(REVOKER, "dynamodb:UpdateTimeToLive", TABLE, admin);
      await allowed(DEPLOYER, "dynamodb:UpdateContinuousBackups", TABLE, admin);
    });
  });

  describe("the people: requesters', approvers', break-glass and publisher-trusted roles and users", () => {
    it("an administrator cannot re-trust, re-policy or delete the human roles named in org.humanRolePatterns", async () => {
      for (const r of ["ml-release-engineers", "ml-leads", "ml-oncall"])
        for (const a of ["iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DeleteRole", "iam:PutRolePermissionsBoundary"])
          await refused(ADMIN, a, role(r), admin);
      await allowed(DEPLOYER, "iam:UpdateAssumeRolePolicy", role("ml-leads"), admin);
      // The revoker's inline-policy exemption is for the elevated role, not for people.
      await refused(REVOKER, "iam:PutRolePolicy", role("ml-leads"), admin);
      // Other roles stay the account's business.
      await allowed(ADMIN, "iam:UpdateAssumeRolePolicy", role("team-app"), admin);
    });

    it("an administrator cannot mint credentials for, or strip the MFA of, a human IAM user", async () => {
      const user = `arn:aws:iam::${ACCOUNT}:user/ml-people/dave`;
      for (const a of ["iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:DeactivateMFADevice", "iam:DeleteUser", "iam:AttachUserPolicy", "iam:PutUserPolicy"])
        await refused(ADMIN, a, user, admin);
      await allowed(DEPLOYER, "iam:CreateLoginProfile", user, admin);
      await allowed(ADMIN, "iam:CreateAccessKey", `arn:aws:iam::${ACCOUNT}:user/ci-bot`, admin);
    });
  });

  describe("Identity Center persons cannot be impersonated (the broker keys a person on AWSReservedSSO_ session names)", () => {
    // An assumed-role ARN shows no path, so a role an administrator names AWSReservedSSO_* anywhere,
    // assumed with the session name "alice", would pass for Identity Center user alice: two such roles
    // are a requester and an approver, and the approved claim writes weights.
    it("an administrator cannot create a look-alike AWSReservedSSO_ role, at any path", async () => {
      // (Identity Center's own path, /aws-reserved/, is already refused without the SCPs.)
      for (const r of ["AWSReservedSSO_MLLeads_0123456789abcdef", "team/AWSReservedSSO_MLRelease_0123456789abcdef"])
        await refused(ADMIN, "iam:CreateRole", role(r), admin);
      await allowed(ADMIN, "iam:CreateRole", role("team-app"), admin);
    });

    it("an administrator cannot repoint Identity Center's SAML provider (sign in as anyone under any permission set)", async () => {
      const provider = `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`;
      for (const a of ["iam:UpdateSAMLProvider", "iam:DeleteSAMLProvider"]) await refused(ADMIN, a, provider, admin);
      await allowed(ADMIN, "iam:UpdateSAMLProvider", `arn:aws:iam::${ACCOUNT}:saml-provider/corp-okta`, admin);
    });
  });

  describe("MFA for IAM users calling the broker (organization.requireMfaForIamUsers)", () => {
    const USER = `arn:aws:iam::${ACCOUNT}:user/ml-people/dave`;
    const SSO = role("aws-reserved/sso.amazonaws.com/AWSReservedSSO_MLRelease_0123456789abcdef");
    const callerPolicy: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"], Resource: API_FN }],
    };
    const url = { "lambda:InvokedViaFunctionUrl": "true" };

    it("an IAM user's long-term keys (no MFA key in the request) or a session without MFA are refused", async () => {
      await refused(USER, "lambda:InvokeFunctionUrl", API_FN, [callerPolicy]);
      await refused(USER, "lambda:InvokeFunction", API_FN, [callerPolicy], url);
      await refused(USER, "lambda:InvokeFunctionUrl", API_FN, [callerPolicy], { "aws:MultiFactorAuthPresent": "false" });
    });

    it("an IAM user's MFA session passes; Identity Center sessions (MFA at sign-in, no per-request key) pass", async () => {
      await allowed(USER, "lambda:InvokeFunctionUrl", API_FN, [callerPolicy], { "aws:MultiFactorAuthPresent": "true" });
      await allowed(USER, "lambda:InvokeFunction", API_FN, [callerPolicy], { ...url, "aws:MultiFactorAuthPresent": "true" });
      await allowed(SSO, "lambda:InvokeFunctionUrl", API_FN, [callerPolicy]);
    });

    it("with the switch off, the SCP leaves MFA to the caller policy", async () => {
      const off = buildScps({ ...org, requireMfaForIamUsers: false }, { maxDocuments: 4 }).documents;
      const r = await evaluate(USER, "lambda:InvokeFunctionUrl", API_FN, base, [callerPolicy], off);
      assert.equal(r.decision, "Allowed");
    });
  });

  it("the packed guardrails fit the org's SCP slots, every document within AWS's limit", () => {
    assert.ok(packed.documents.length <= maxGuardrailDocuments(org), `${packed.documents.length} documents`);
    for (const s of packed.sizes) assert.ok(s <= SCP_MAX_CHARS, `${s}`);
  });
});
