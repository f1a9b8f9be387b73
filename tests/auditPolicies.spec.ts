// The audit trail's IAM documents, evaluated with iam-simulate (dev-only, AGPL): who may write and read the
// logs, use the key, assume the delivery role and publish to the topic. Plus the event-selector builder.
import { strict as assert } from "node:assert";
import { decide as evaluate } from "./support/iam";
import {
  auditEventSelectors,
  auditKeyPolicy,
  cloudWatchDeliveryPolicy,
  cloudWatchDeliveryTrustPolicy,
  logBucketPolicy,
  objectArnPrefix,
  selectorsCoverBucket,
  trailArn,
  trailTopicPolicy,
  type AuditScope,
} from "../iam/auditPolicies";
import { asArray, type PolicyDocument } from "../iam/types";

const ACCOUNT = "111111111111";
const OTHER = "999999999999";
const scope: AuditScope = { accountId: ACCOUNT, region: "us-east-1", trailName: "prod-audit" };
const TRAIL = trailArn(scope);
const FOREIGN_TRAIL = `arn:aws:cloudtrail:us-east-1:${OTHER}:trail/theirs`;
const BUCKET = "acme-audit-logs";
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const CT = "cloudtrail.amazonaws.com";
const TLS = { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" };

type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

interface Req {
  principal: string;
  action: string;
  resource: string;
  ctx?: Record<string, string | string[]>;
  resourcePolicy?: PolicyDocument;
  identity?: PolicyDocument;
  resourceAccount?: string;
}

// iam-simulate 0.1.173 recognises variable context keys only after a "/" (aws:PrincipalTag/x): a request's
// `kms:EncryptionContext:<key>` is dropped as "not allowed for the action", so a policy condition on a concrete
// context key could never match (and its unvalidated engine, runUnsafeSimulation, crashes on resource policies).
// The harness renames the concrete key to the catalogue template `kms:EncryptionContext:${EncryptionContextKey}`
// in the policies and in the request alike: sound here because every statement and request names at most one
// encryption-context key.
const EC_TEMPLATE = "kms:EncryptionContext:${EncryptionContextKey}";
const isEcKey = (k: string) => /^kms:encryptioncontext:/i.test(k) && k !== EC_TEMPLATE;
function forSimulator(doc: PolicyDocument | undefined): PolicyDocument | undefined {
  if (!doc) return doc;
  return {
    ...doc,
    Statement: doc.Statement.map((st) => {
      if (!st.Condition) return st;
      const cond = Object.fromEntries(
        Object.entries(st.Condition).map(([op, block]) => {
          const keys = Object.keys(block).filter(isEcKey);
          assert.ok(keys.length <= 1, `${st.Sid}: the harness handles one encryption-context key per operator`);
          return [op, Object.fromEntries(Object.entries(block).map(([k, v]) => [isEcKey(k) ? EC_TEMPLATE : k, v]))];
        }),
      );
      return { ...st, Condition: cond };
    }),
  };
}

function decide(r: Req): Promise<Decision> {
  return evaluate({
    principal: r.principal,
    action: r.action,
    resource: r.resource,
    accountId: r.resourceAccount ?? ACCOUNT,
    context: Object.fromEntries(Object.entries(r.ctx ?? {}).map(([k, v]) => [isEcKey(k) ? EC_TEMPLATE : k, v])),
    identityPolicies: r.identity ? [forSimulator(r.identity)!] : [],
    resourcePolicy: forSimulator(r.resourcePolicy),
  }) as Promise<Decision>;
}

describe("audit IAM documents (iam-simulate)", () => {
  describe("log bucket policy", () => {
    const policy = logBucketPolicy({ ...scope, bucketName: BUCKET });
    const orgPolicy = logBucketPolicy({ ...scope, bucketName: BUCKET, organizationId: "o-abcdefghij" });
    const put = (key: string, ctx: Record<string, string>, p = policy) =>
      decide({ principal: CT, action: "s3:PutObject", resource: `arn:aws:s3:::${BUCKET}/${key}`, resourcePolicy: p, ctx: { ...TLS, "s3:x-amz-acl": "bucket-owner-full-control", ...ctx } });

    it("CloudTrail writes this trail's logs under AWSLogs/<account>/", async () => {
      assert.equal(await put(`AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/01/01/x.json.gz`, { "aws:SourceArn": TRAIL, "aws:SourceAccount": ACCOUNT }), "Allowed");
    });

    it("another trail (confused deputy) cannot write, even under the right prefix", async () => {
      assert.equal(await put(`AWSLogs/${ACCOUNT}/CloudTrail/x.json.gz`, { "aws:SourceArn": FOREIGN_TRAIL, "aws:SourceAccount": OTHER }), "ImplicitlyDenied");
      assert.equal(await put(`AWSLogs/${ACCOUNT}/CloudTrail/x.json.gz`, {}), "ImplicitlyDenied");
    });

    it("CloudTrail cannot write outside the trail's prefix, nor under the org prefix unless it is an org trail", async () => {
      assert.equal(await put("models/evil.safetensors", { "aws:SourceArn": TRAIL }), "ImplicitlyDenied");
      assert.equal(await put(`AWSLogs/${OTHER}/x.json.gz`, { "aws:SourceArn": TRAIL }), "ImplicitlyDenied");
      assert.equal(await put("AWSLogs/o-abcdefghij/222222222222/x.json.gz", { "aws:SourceArn": TRAIL }), "ImplicitlyDenied");
      assert.equal(await put("AWSLogs/o-abcdefghij/222222222222/x.json.gz", { "aws:SourceArn": TRAIL }, orgPolicy), "Allowed");
    });

    it("the ACL check is pinned to the trail too", async () => {
      const acl = (ctx: Record<string, string>) =>
        decide({ principal: CT, action: "s3:GetBucketAcl", resource: `arn:aws:s3:::${BUCKET}`, resourcePolicy: policy, ctx: { ...TLS, ...ctx } });
      assert.equal(await acl({ "aws:SourceArn": TRAIL }), "Allowed");
      assert.equal(await acl({ "aws:SourceArn": FOREIGN_TRAIL }), "ImplicitlyDenied");
    });

    it("plain HTTP is denied even to CloudTrail and to account principals allowed by IAM", async () => {
      assert.equal(
        await decide({ principal: CT, action: "s3:PutObject", resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/x`, resourcePolicy: policy, ctx: { "aws:SecureTransport": "false", "aws:SourceArn": TRAIL, "s3:x-amz-acl": "bucket-owner-full-control" } }),
        "ExplicitlyDenied",
      );
      const reader: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` }] };
      const get = (secure: string) =>
        decide({ principal: `arn:aws:iam::${ACCOUNT}:role/auditor`, action: "s3:GetObject", resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/x`, resourcePolicy: policy, identity: reader, ctx: { "aws:SecureTransport": secure, "s3:TlsVersion": "1.3" } });
      assert.equal(await get("true"), "Allowed");
      assert.equal(await get("false"), "ExplicitlyDenied");
    });

    it("grants nothing to other accounts or anonymous callers", async () => {
      for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) {
        assert.equal(
          await decide({ principal: `arn:aws:iam::${OTHER}:root`, action, resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/x`, resourcePolicy: policy, ctx: { ...TLS } }),
          "ImplicitlyDenied",
          action,
        );
      }
    });

    it("every Allow names a service principal and a fixed aws:SourceArn", () => {
      for (const s of orgPolicy.Statement.filter((x) => x.Effect === "Allow")) {
        assert.deepEqual(s.Principal, { Service: CT });
        assert.equal(s.Condition?.StringEquals?.["aws:SourceArn"], TRAIL);
        assert.ok(asArray(s.Action).every((a) => !a.includes("*")));
      }
    });
  });

  describe("trail key policy", () => {
    const policy = auditKeyPolicy({ ...scope, snsTopic: true });
    const kms = (principal: string, action: string, ctx: Record<string, string>) =>
      decide({ principal, action, resource: KEY, resourcePolicy: policy, ctx });

    it("CloudTrail may generate data keys for this trail only", async () => {
      assert.equal(await kms(CT, "kms:GenerateDataKey", { "aws:SourceArn": TRAIL, "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL }), "Allowed");
      assert.equal(await kms(CT, "kms:GenerateDataKey", { "aws:SourceArn": FOREIGN_TRAIL, "kms:EncryptionContext:aws:cloudtrail:arn": FOREIGN_TRAIL }), "ImplicitlyDenied");
      assert.equal(await kms(CT, "kms:GenerateDataKey", { "aws:SourceArn": TRAIL, "kms:EncryptionContext:aws:cloudtrail:arn": FOREIGN_TRAIL }), "ImplicitlyDenied");
      assert.equal(await kms(CT, "kms:DescribeKey", { "aws:SourceArn": TRAIL }), "Allowed");
      assert.equal(await kms(CT, "kms:DescribeKey", { "aws:SourceArn": FOREIGN_TRAIL }), "ImplicitlyDenied");
    });

    it("CloudTrail cannot decrypt the logs (only the SNS path, pinned to the trail)", async () => {
      assert.equal(await kms(CT, "kms:Decrypt", { "aws:SourceArn": TRAIL, "aws:SourceAccount": ACCOUNT }), "Allowed");
      assert.equal(await kms(CT, "kms:Decrypt", { "aws:SourceArn": FOREIGN_TRAIL, "aws:SourceAccount": OTHER }), "ImplicitlyDenied");
      const noSns = auditKeyPolicy(scope);
      assert.equal(
        await decide({ principal: CT, action: "kms:Decrypt", resource: KEY, resourcePolicy: noSns, ctx: { "aws:SourceArn": TRAIL, "aws:SourceAccount": ACCOUNT } }),
        "ImplicitlyDenied",
      );
    });

    it("an account principal with IAM permission decrypts this trail's logs, nothing else; other accounts nothing", async () => {
      const auditor = `arn:aws:iam::${ACCOUNT}:role/auditor`;
      const identity: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: KEY }] };
      const dec = (principal: string, context: string, caller: string) =>
        decide({ principal, action: "kms:Decrypt", resource: KEY, resourcePolicy: policy, identity, ctx: { "kms:CallerAccount": caller, "kms:EncryptionContext:aws:cloudtrail:arn": context } });
      assert.equal(await dec(auditor, TRAIL, ACCOUNT), "Allowed");
      assert.equal(await dec(auditor, FOREIGN_TRAIL, ACCOUNT), "ImplicitlyDenied");
      assert.equal(await dec(`arn:aws:iam::${OTHER}:role/x`, TRAIL, OTHER), "ImplicitlyDenied");
    });

    it("nobody outside the account administers the key; the account does via IAM", async () => {
      const admin: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:PutKeyPolicy", Resource: KEY }] };
      assert.equal(await decide({ principal: `arn:aws:iam::${ACCOUNT}:role/admin`, action: "kms:PutKeyPolicy", resource: KEY, resourcePolicy: policy, identity: admin }), "Allowed");
      assert.equal(await decide({ principal: `arn:aws:iam::${OTHER}:role/admin`, action: "kms:PutKeyPolicy", resource: KEY, resourcePolicy: policy, identity: admin }), "ImplicitlyDenied");
      assert.equal(await kms(CT, "kms:PutKeyPolicy", { "aws:SourceArn": TRAIL }), "ImplicitlyDenied");
    });

    it("no wildcard actions anywhere in the key policy", () => {
      for (const s of policy.Statement) assert.ok(asArray(s.Action).every((a) => !a.includes("*")), s.Sid);
    });
  });

  describe("CloudWatch Logs delivery role", () => {
    const ROLE = `arn:aws:iam::${ACCOUNT}:role/audit-delivery`;
    const GROUP = "/aws/cloudtrail/prod-audit";
    const groupArn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}`;

    it("only this trail's CloudTrail may assume it", async () => {
      const trust = cloudWatchDeliveryTrustPolicy(scope);
      const assume = (ctx: Record<string, string>) => decide({ principal: CT, action: "sts:AssumeRole", resource: ROLE, resourcePolicy: trust, ctx });
      assert.equal(await assume({ "aws:SourceArn": TRAIL, "aws:SourceAccount": ACCOUNT }), "Allowed");
      assert.equal(await assume({ "aws:SourceArn": FOREIGN_TRAIL, "aws:SourceAccount": OTHER }), "ImplicitlyDenied");
      assert.equal(await decide({ principal: `arn:aws:iam::${ACCOUNT}:role/other`, action: "sts:AssumeRole", resource: ROLE, resourcePolicy: trust }), "ImplicitlyDenied");
    });

    it("may write to the trail's log streams only", async () => {
      const identity = cloudWatchDeliveryPolicy(scope, GROUP);
      const put = (resource: string) => decide({ principal: ROLE, action: "logs:PutLogEvents", resource, identity });
      assert.equal(await put(`${groupArn}:log-stream:${ACCOUNT}_CloudTrail_us-east-1`), "Allowed");
      assert.equal(await put(`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/other:log-stream:${ACCOUNT}_CloudTrail_us-east-1`), "ImplicitlyDenied");
      assert.equal(await decide({ principal: ROLE, action: "logs:DeleteLogGroup", resource: groupArn, identity }), "ImplicitlyDenied");
    });
  });

  describe("SNS topic policy", () => {
    const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:audit-deliveries`;
    const policy = trailTopicPolicy(scope, TOPIC);
    it("CloudTrail publishes for this trail only, over TLS", async () => {
      const pub = (ctx: Record<string, string>) => decide({ principal: CT, action: "sns:Publish", resource: TOPIC, resourcePolicy: policy, ctx });
      assert.equal(await pub({ "aws:SourceArn": TRAIL, "aws:SecureTransport": "true" }), "Allowed");
      assert.equal(await pub({ "aws:SourceArn": FOREIGN_TRAIL, "aws:SecureTransport": "true" }), "ImplicitlyDenied");
      assert.equal(await pub({ "aws:SourceArn": TRAIL, "aws:SecureTransport": "false" }), "ExplicitlyDenied");
    });
  });

  describe("event selectors", () => {
    const B = "arn:aws:s3:::acme-weights-prod";
    it("management events plus writes always; reads only with readDataEvents=all", () => {
      const none = auditEventSelectors([B], "none");
      const all = auditEventSelectors([B], "all");
      assert.ok(none[0].fieldSelectors.some((f) => f.field === "eventCategory" && f.equals?.includes("Management")));
      assert.ok(selectorsCoverBucket(none, B, "write") && !selectorsCoverBucket(none, B, "read"));
      assert.ok(selectorsCoverBucket(all, B, "write") && selectorsCoverBucket(all, B, "read"));
    });

    it("names the bucket with a trailing slash, so a sibling bucket sharing the prefix is not covered", () => {
      const sel = auditEventSelectors([B], "all");
      assert.ok(!selectorsCoverBucket(sel, "arn:aws:s3:::acme-weights-prod-copy", "write"));
      assert.ok(!selectorsCoverBucket(sel, "arn:aws:s3:::acme-weights", "write"));
    });

    it("covers several buckets, once each", () => {
      const C = "arn:aws:s3:::acme-weights-eu";
      const sel = auditEventSelectors([B, C, B], "none");
      assert.ok(selectorsCoverBucket(sel, B, "write") && selectorsCoverBucket(sel, C, "write"));
      assert.deepEqual(sel[1].fieldSelectors.find((f) => f.field === "resources.ARN")?.startsWiths, [`${B}/`, `${C}/`]);
    });

    it("a selector narrowed to one prefix, or excluding part of the bucket, does not count as covering it", () => {
      const base = [
        { field: "eventCategory", equals: ["Data"] },
        { field: "resources.type", equals: ["AWS::S3::Object"] },
      ];
      assert.ok(!selectorsCoverBucket([{ fieldSelectors: [...base, { field: "resources.ARN", startsWiths: [`${B}/models/`] }] }], B, "write"));
      assert.ok(!selectorsCoverBucket([{ fieldSelectors: [...base, { field: "resources.ARN", notStartsWiths: [`${B}/`] }] }], B, "write"));
      assert.ok(selectorsCoverBucket([{ fieldSelectors: base }], B, "read"), "no ARN field = every bucket");
    });

    it("rejects what is not a bucket ARN (an object ARN, a name, an empty list)", () => {
      assert.throws(() => objectArnPrefix("acme-weights-prod"), /expected an S3 bucket ARN/);
      assert.throws(() => objectArnPrefix(`${B}/models`), /expected an S3 bucket ARN/);
      assert.throws(() => auditEventSelectors([], "all"), /at least one/);
    });
  });
});
