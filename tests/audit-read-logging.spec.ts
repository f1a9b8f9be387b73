// readDataEvents "unexpected": the trail records object reads by everyone except the declared consumers' sessions,
// so a stack pays for the reads nobody planned, not for the fleet's. Checked with CloudTrail's selector semantics
// (tests/support/advanced-selectors.ts) on real-shaped records, and on the dev plan with the mode switched on.
import { strict as assert } from "node:assert";
import { assumedRoleSessionPrefix, auditEventSelectors, selectorValueCount, type AdvancedEventSelector } from "../iam/auditPolicies";
import { TRAIL_SELECTOR_VALUES_MAX } from "../iam/limits";
import { buildPlan } from "../plan/build";
import { readStackConfig } from "../plan/stackFiles";
import { recorded } from "./support/advanced-selectors";
import { ctRecord, type Who } from "./support/cloudtrail-events";
import { one, serially } from "./support/plans";

const BUCKET = "arn:aws:s3:::acme-model-weights-dev";
const SM = "arn:aws:iam::111111111111:role/model-vault/access-consumer-sagemaker-inference-0e1d4fc";
const EKS = "arn:aws:iam::111111111111:role/model-vault/access-consumer-eks-serving-98bdaa9";
const as = (roleArn: string, sessionName = "s"): Who => ({ type: "AssumedRole", roleArn, sessionName });
const s3 = (who: Who, eventName: string, key = "models/llama/v1/model.safetensors", bucket = BUCKET) =>
  ctRecord({ who, eventSource: "s3.amazonaws.com", eventName, eventCategory: "Data", readOnly: eventName.startsWith("Get") || eventName.startsWith("Head"), requestParameters: { bucketName: bucket.split(":::")[1], key }, resources: [{ type: "AWS::S3::Object", ARN: `${bucket}/${key}` }] });

describe("audit: read logging aimed at anomalies", () => {
  const unexpected = auditEventSelectors([BUCKET], "unexpected", [SM, EKS]);

  it("leaves the declared consumers' reads out and records everyone else's", () => {
    assert.equal(recorded(unexpected, s3(as(SM, "SageMaker"), "GetObject")), false);
    assert.equal(recorded(unexpected, s3(as(EKS, "botocore-session-1"), "HeadObject")), false);
    assert.equal(recorded(unexpected, s3(as("arn:aws:iam::111111111111:role/data-science-notebook", "bob"), "GetObject")), true);
    assert.equal(recorded(unexpected, s3({ type: "IAMUser", userArn: "arn:aws:iam::111111111111:user/eve" }, "GetObject")), true);
  });

  it("a role named like a consumer plus a suffix cannot hide its reads (the session prefix ends with '/')", () => {
    const lookalike = as(`${SM}-shadow`.replace("/model-vault/", "/"), "x");
    assert.equal(recorded(unexpected, s3(lookalike, "GetObject")), true);
    // The same selector without the trailing slash would have hidden the look-alike: the slash is what holds.
    const sloppy: AdvancedEventSelector[] = unexpected.map((s) => ({
      ...s,
      fieldSelectors: s.fieldSelectors.map((f) => (f.field === "userIdentity.arn" ? { ...f, notStartsWiths: f.notStartsWiths?.map((p) => p.replace(/\/$/, "")) } : f)),
    }));
    assert.equal(recorded(sloppy, s3(lookalike, "GetObject")), false);
  });

  it("still records every write, the consumers' attempts included", () => {
    assert.equal(recorded(unexpected, s3(as(SM), "PutObject")), true);
    assert.equal(recorded(unexpected, s3(as(SM), "DeleteObject")), true);
  });

  it("records reads of no other bucket, and management events as before", () => {
    assert.equal(recorded(unexpected, s3(as("arn:aws:iam::111111111111:role/x"), "GetObject", "k", "arn:aws:s3:::acme-model-weights-dev-copy")), false);
    assert.equal(recorded(unexpected, ctRecord({ who: as(SM), eventSource: "iam.amazonaws.com", eventName: "PutRolePolicy" })), true);
  });

  it("all records every read, none records no read", () => {
    assert.equal(recorded(auditEventSelectors([BUCKET], "all"), s3(as(SM), "GetObject")), true);
    assert.equal(recorded(auditEventSelectors([BUCKET], "none"), s3(as("arn:aws:iam::111111111111:role/x"), "GetObject")), false);
  });

  it("derives the session prefix from the role ARN without its path", () => {
    assert.equal(assumedRoleSessionPrefix(SM), "arn:aws:sts::111111111111:assumed-role/access-consumer-sagemaker-inference-0e1d4fc/");
    assert.equal(assumedRoleSessionPrefix("arn:aws-cn:iam::111111111111:role/r"), "arn:aws-cn:sts::111111111111:assumed-role/r/");
    assert.throws(() => assumedRoleSessionPrefix("arn:aws:iam::111111111111:user/bob"), /expected an IAM role ARN/);
  });

  it(`refuses selectors over the trail's ${TRAIL_SELECTOR_VALUES_MAX}-value cap, naming the mode and the count`, () => {
    const roles = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:iam::111111111111:role/c${i}`);
    // management 1 + writes 4 + reads 4 + one per consumer.
    const fits = auditEventSelectors([BUCKET], "unexpected", roles(TRAIL_SELECTOR_VALUES_MAX - 9));
    assert.equal(selectorValueCount(fits), TRAIL_SELECTOR_VALUES_MAX);
    assert.throws(() => auditEventSelectors([BUCKET], "unexpected", roles(TRAIL_SELECTOR_VALUES_MAX - 8)), /readDataEvents "unexpected": 492 consumer role\(s\) make 501 advanced-event-selector values; a trail takes at most 500/);
  });

  it("the dev plan with readDataEvents unexpected leaves out exactly its five consumers", async function () {
    this.timeout(120_000);
    const raw = readStackConfig("dev");
    const audit = { ...JSON.parse(raw["model-vault:audit"] ?? "{}"), readDataEvents: "unexpected" };
    const { plan, failures } = await serially(() => buildPlan("dev", { config: { ...raw, "model-vault:audit": JSON.stringify(audit) } }));
    assert.deepEqual(failures, []);
    const selectors = one(plan.resources, "aws:cloudtrail/trail:Trail").inputs.advancedEventSelectors as AdvancedEventSelector[];
    const consumers = Object.values(plan.outputs.consumerRoleArns as Record<string, string>);
    assert.equal(consumers.length, 5);
    const excluded = selectors.flatMap((s) => s.fieldSelectors).find((f) => f.field === "userIdentity.arn")?.notStartsWiths;
    assert.deepEqual(excluded, consumers.map(assumedRoleSessionPrefix).sort());
    const bucketArn = String(plan.outputs.bucketArn);
    for (const c of consumers) assert.equal(recorded(selectors, s3(as(c), "GetObject", "models/x", bucketArn)), false, c);
    assert.equal(recorded(selectors, s3(as(String(plan.outputs.publisherRoleArn), "jit-r-1"), "GetObject", "models/x", bucketArn)), true, "the publisher is not a declared reader");
  });
});
