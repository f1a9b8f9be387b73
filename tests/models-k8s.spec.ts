// Kubernetes delivery: every manifest is valid against the Kubernetes schemas (kubernetes-models), the
// volume is read-only at every layer (Mountpoint read-only, ReadOnlyMany, readOnly claim and mounts),
// credentials are the pod's (authenticationSource: pod, the consumer role on the service account), and
// what a PV mounts is exactly what the consumer's role may read (IAM engine over the planned policies).
import { strict as assert } from "node:assert";
import { parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1";
import { PersistentVolume, PersistentVolumeClaim, ServiceAccount } from "kubernetes-models/v1";
import type { PolicyDocument } from "../iam/types";
import { IRSA_ANNOTATION, isEksConsumer, k8sDelivery, type K8sObject } from "../models/k8s";
import { runK8sCli } from "../models/k8s-cli";
import { decide } from "./support/iam";
import { doc, ofType, one, planFor } from "./support/plans";
import { insideContext } from "../plan/networkQuestions";

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  PersistentVolume: PersistentVolume as never,
  PersistentVolumeClaim: PersistentVolumeClaim as never,
  ServiceAccount: ServiceAccount as never,
  Deployment: Deployment as never,
};

function validate(o: K8sObject): void {
  const M = MODELS[o.kind];
  assert.ok(M, `no schema for ${o.kind}`);
  new M(o as never).validate();
}

const images = { verifier: "registry.example/model-vault:0.1.0", server: "registry.example/server:1.0.0" };

async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await runK8sCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe("Kubernetes delivery (Mountpoint for Amazon S3 CSI v2)", function () {
  this.timeout(60000);

  for (const stack of ["dev", "prod"]) {
    it(`${stack}: every manifest of every EKS consumer passes the Kubernetes schemas`, async () => {
      const r = await planFor(stack);
      const arns = r.plan.outputs.consumerRoleArns as Record<string, string>;
      for (const c of r.config.access.consumers.filter(isEksConsumer))
        for (const o of k8sDelivery({ consumer: c, roleArn: arns[c.name], bucketName: r.config.storage.bucketName, region: r.config.region, images, release: "v1" })) validate(o);
    });
  }

  it("the schema check has teeth: a PV without volumeHandle or a claim with a bad access mode is refused", () => {
    assert.throws(() => validate({ apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "x" }, spec: { csi: { driver: "s3.csi.aws.com" } } }), /volumeHandle/);
    assert.throws(() => validate({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "x" }, spec: { accessModes: "ReadOnlyMany" } }), /accessModes/);
  });

  it("is read-only at every layer and uses the pod's own credentials", async () => {
    const r = await planFor("dev");
    const arns = r.plan.outputs.consumerRoleArns as Record<string, string>;
    for (const c of r.config.access.consumers.filter(isEksConsumer)) {
      const objs = k8sDelivery({ consumer: c, roleArn: arns[c.name], bucketName: r.config.storage.bucketName, region: r.config.region, images });
      const pvs = objs.filter((o) => o.kind === "PersistentVolume") as unknown as { spec: { accessModes: string[]; mountOptions: string[]; claimRef: { name: string; namespace: string }; csi: { driver: string; readOnly: boolean; volumeAttributes: Record<string, string> } } }[];
      assert.equal(pvs.length, c.prefixes.length);
      pvs.forEach((pv, i) => {
        assert.deepEqual(pv.spec.accessModes, ["ReadOnlyMany"]);
        assert.ok(pv.spec.mountOptions.includes("read-only"));
        assert.ok(pv.spec.mountOptions.includes(`prefix ${c.prefixes[i]}`));
        assert.equal(pv.spec.csi.driver, "s3.csi.aws.com");
        assert.equal(pv.spec.csi.readOnly, true);
        assert.equal(pv.spec.csi.volumeAttributes.authenticationSource, "pod");
        assert.equal(pv.spec.csi.volumeAttributes.bucketName, r.config.storage.bucketName);
        assert.equal(pv.spec.claimRef.namespace, c.namespace);
      });
      const pvcs = objs.filter((o) => o.kind === "PersistentVolumeClaim") as unknown as { metadata: { name: string }; spec: { accessModes: string[]; volumeName: string } }[];
      pvcs.forEach((pvc, i) => {
        assert.deepEqual(pvc.spec.accessModes, ["ReadOnlyMany"]);
        assert.equal(pvcs[i].metadata.name, pvs[i].spec.claimRef.name);
      });
      const sa = objs.find((o) => o.kind === "ServiceAccount") as unknown as { metadata: { name: string; annotations?: Record<string, string> } };
      assert.equal(sa.metadata.name, c.serviceAccount);
      if (c.kind === "eks-irsa") assert.equal(sa.metadata.annotations?.[IRSA_ANNOTATION], arns[c.name]);
      else assert.equal(sa.metadata.annotations, undefined, "Pod Identity needs no annotation: the association names the service account");
      const dep = objs.find((o) => o.kind === "Deployment") as unknown as { spec: { template: { spec: { serviceAccountName: string; initContainers: { command: string[]; volumeMounts: { readOnly: boolean }[] }[]; containers: { volumeMounts: { readOnly: boolean }[] }[]; volumes: { persistentVolumeClaim: { claimName: string; readOnly: boolean } }[] } } } };
      const pod = dep.spec.template.spec;
      assert.equal(pod.serviceAccountName, c.serviceAccount);
      assert.deepEqual(pod.initContainers[0].command, ["model-vault-models", "verify", "/models"]);
      for (const ctr of [...pod.initContainers, ...pod.containers]) assert.ok(ctr.volumeMounts.every((m) => m.readOnly === true));
      assert.deepEqual(pod.volumes[0].persistentVolumeClaim, { claimName: pvcs[0].metadata.name, readOnly: true });
    }
  });

  it("mounts exactly what the consumer's role may read (IAM engine over the planned role and bucket policies)", async () => {
    const r = await planFor("prod");
    const bucketPolicy = ofType(r.plan.resources, "aws:s3/bucketPolicy:BucketPolicy").find((x) => x.inputs.bucket === r.config.storage.bucketName)!;
    const arns = r.plan.outputs.consumerRoleArns as Record<string, string>;
    for (const c of r.config.access.consumers.filter(isEksConsumer)) {
      const policy = one(r.plan.resources, "aws:iam/rolePolicy:RolePolicy", `access-consumer-${c.name}-read`);
      const perimeter = c.network ?? r.config.access.network;
      const ask = (action: string, resource: string, context: Record<string, string> = {}) =>
        decide({
          principal: arns[c.name],
          action,
          resource,
          accountId: r.config.accountId,
          identityPolicies: [doc(policy.inputs.policy) as unknown as PolicyDocument],
          resourcePolicy: doc(bucketPolicy.inputs.policy) as unknown as PolicyDocument,
          // Mountpoint reads from inside the cluster's network perimeter (docs/access.md "Network perimeter").
          context: { "aws:PrincipalArn": arns[c.name], "aws:SecureTransport": "true", ...(perimeter ? insideContext(perimeter) : {}), ...context },
        });
      const pvs = k8sDelivery({ consumer: c, roleArn: arns[c.name], bucketName: r.config.storage.bucketName, region: r.config.region }).filter((o) => o.kind === "PersistentVolume");
      for (const pv of pvs) {
        const prefix = ((pv.spec as { mountOptions: string[] }).mountOptions.find((m) => m.startsWith("prefix ")) as string).slice(7);
        // What Mountpoint does on mount and on read: list with the prefix and '/', then GET.
        assert.equal(await ask("s3:ListBucket", `arn:aws:s3:::${r.config.storage.bucketName}`, { "s3:prefix": prefix, "s3:delimiter": "/" }), "Allowed", prefix);
        assert.equal(await ask("s3:GetObject", `arn:aws:s3:::${r.config.storage.bucketName}/${prefix}v1/config.json`), "Allowed", prefix);
      }
    }
  });

  it("the stack output kubernetesManifests is the builders' output (PV, PVC, ServiceAccount per EKS consumer)", async () => {
    const r = await planFor("dev");
    const out = r.plan.outputs.kubernetesManifests as Record<string, K8sObject[]>;
    const arns = r.plan.outputs.consumerRoleArns as Record<string, string>;
    const eks = r.config.access.consumers.filter(isEksConsumer);
    assert.deepEqual(Object.keys(out).sort(), eks.map((c) => c.name).sort());
    for (const c of eks) assert.deepEqual(out[c.name], k8sDelivery({ consumer: c, roleArn: arns[c.name], bucketName: r.config.storage.bucketName, region: r.config.region }));
  });

  it("npm run k8s prints valid YAML documents for one consumer", async () => {
    const r = await cli("--stack", "dev", "--consumer", "eks-batch", "--verifier-image", images.verifier, "--server-image", images.server, "--release", "embed-v3");
    assert.equal(r.code, 0, r.err);
    const docs = parseAllDocuments(r.out).map((d) => d.toJS() as K8sObject);
    assert.deepEqual(docs.map((d) => d.kind), ["ServiceAccount", "PersistentVolume", "PersistentVolumeClaim", "Deployment"]);
    docs.forEach(validate);
    assert.ok(!r.out.includes("&a"), "no YAML anchors");
    assert.match(r.out, /- model-vault-models\n\s+- verify\n\s+- \/models\/embed-v3\n/);
    assert.match(r.err, /eks-batch uses EKS Pod Identity without createAssociation/);
  });

  it("bad input is one line, exit 2", async () => {
    assert.deepEqual(await cli("--stack", "dev", "--consumer", "nope"), { code: 2, out: "", err: "Pulumi.dev.yaml: no eks-irsa or eks-pod-identity consumer named nope (have: eks-serving, eks-batch)\n" });
    assert.deepEqual(await cli("--stack", "dev", "--verifier-image", "x"), { code: 2, out: "", err: "--verifier-image and --server-image go together (the example Deployment needs both)\n" });
    const missing = await cli("--stack", "nosuchstack");
    assert.equal(missing.code, 2);
    assert.equal(missing.err.trim().split("\n").length, 1);
  });
});
