// The opt-in ModelVolumes component (@pulumi/kubernetes) under Pulumi mocks: it registers exactly the
// builders' ServiceAccount, PersistentVolumes and claims (the YAML CLI's objects), with the role ARN output.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { ModelVolumes } from "../components/ModelVolumes";
import { k8sDelivery, IRSA_ANNOTATION, type EksConsumer } from "../models/k8s";
import { runProgram } from "../plan/run";

const consumer: EksConsumer = {
  name: "eks-serving",
  kind: "eks-irsa",
  oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE",
  namespace: "serving",
  serviceAccount: "model-reader",
  prefixes: ["models/llama/", "models/mistral/"],
};
const ROLE = "arn:aws:iam::111111111111:role/model-vault/access-consumer-eks-serving-1234567";

describe("ModelVolumes (opt-in @pulumi/kubernetes component)", () => {
  it("registers the builders' objects under the component, the role ARN resolved from an output", async () => {
    const run = await runProgram("k8stest", {
      config: { "aws:region": "us-east-1", "model-vault:accountId": "111111111111" },
      program: async () => {
        new ModelVolumes("serving", { consumer, roleArn: pulumi.output(ROLE), bucketName: "acme-models-dev", region: "us-east-1" });
        return {};
      },
    });
    const k8s = run.resources.filter((r) => r.type.startsWith("kubernetes:"));
    const component = run.resources.find((r) => r.type === "model-vault:k8s:ModelVolumes")!;
    assert.ok(component);
    assert.deepEqual(k8s.map((r) => r.type).sort(), [
      "kubernetes:core/v1:PersistentVolume",
      "kubernetes:core/v1:PersistentVolume",
      "kubernetes:core/v1:PersistentVolumeClaim",
      "kubernetes:core/v1:PersistentVolumeClaim",
      "kubernetes:core/v1:ServiceAccount",
    ]);
    for (const r of k8s) assert.equal(r.parent, component.urn);
    const expected = k8sDelivery({ consumer, roleArn: ROLE, bucketName: "acme-models-dev", region: "us-east-1" });
    for (const e of expected) {
      const got = k8s.find((r) => r.type === `kubernetes:core/v1:${e.kind}` && (r.inputs.metadata as { name: string }).name === e.metadata.name);
      assert.ok(got, `${e.kind} ${e.metadata.name}`);
      for (const field of ["metadata", "spec"] as const) if (field in e) assert.deepEqual(got.inputs[field], e[field], `${e.kind}.${field}`);
    }
    const sa = k8s.find((r) => r.type === "kubernetes:core/v1:ServiceAccount")!;
    assert.equal((sa.inputs.metadata as { annotations: Record<string, string> }).annotations[IRSA_ANNOTATION], ROLE);
  });
});
