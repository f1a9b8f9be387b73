// The stack output sagemakerModelDataSources: for each SageMaker consumer, uncompressed S3Prefix sources
// over exactly the prefixes its role may read (so a model created from one can really load).
import { strict as assert } from "node:assert";
import { sagemakerModelDataSources } from "../models/sagemaker";
import { planFor } from "./support/plans";

describe("SageMaker ModelDataSource output", () => {
  it("lists one uncompressed S3Prefix source per readable prefix of each sagemaker consumer, and none for others", async () => {
    const r = await planFor("prod");
    const out = r.plan.outputs.sagemakerModelDataSources as Record<string, unknown>;
    const sm = r.config.access.consumers.filter((c) => c.kind === "service" && c.service === "sagemaker.amazonaws.com");
    assert.ok(sm.length > 0, "the prod stack has a SageMaker consumer");
    assert.deepEqual(Object.keys(out).sort(), sm.map((c) => c.name).sort());
    for (const c of sm)
      assert.deepEqual(
        out[c.name],
        c.prefixes.map((p) => ({ S3DataSource: { S3Uri: `s3://${r.config.storage.bucketName}/${p}`, S3DataType: "S3Prefix", CompressionType: "None" } })),
      );
  });

  it("skips non-SageMaker service consumers", () => {
    const out = sagemakerModelDataSources([{ name: "ec2", kind: "service", service: "ec2.amazonaws.com", prefixes: ["models/a/"] }], "b");
    assert.deepEqual(out, {});
  });
});
