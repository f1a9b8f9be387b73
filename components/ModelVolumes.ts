// Opt-in, for teams that manage their EKS cluster with Pulumi: the read-only model volumes of one EKS
// consumer (ServiceAccount, a PersistentVolume + claim per prefix) as Kubernetes resources, built by the
// same pure builders as `npm run k8s` (models/k8s.ts). Not part of the model-vault stack itself: the
// cluster's program creates it with its own Kubernetes provider, e.g.
//   new ModelVolumes("serving", { consumer, roleArn: vault.getOutput("consumerRoleArns").apply((a) => a[consumer.name]), bucketName, region }, { provider });
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { k8sDelivery, type EksConsumer } from "../models/k8s";

export interface ModelVolumesArgs {
  consumer: EksConsumer;
  /** The consumer role's ARN (the model-vault stack's consumerRoleArns output). */
  roleArn: pulumi.Input<string>;
  bucketName: string;
  region: string;
}

export class ModelVolumes extends pulumi.ComponentResource {
  readonly claimNames: string[];

  constructor(name: string, args: ModelVolumesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("model-vault:k8s:ModelVolumes", name, {}, opts);
    const child = { parent: this };
    const objects = k8sDelivery<pulumi.Input<string>>({ consumer: args.consumer, roleArn: args.roleArn, bucketName: args.bucketName, region: args.region });
    const claims: string[] = [];
    const pvs: k8s.core.v1.PersistentVolume[] = [];
    for (const o of objects) {
      const logical = `${name}-${o.metadata.name}`;
      if (o.kind === "ServiceAccount") new k8s.core.v1.ServiceAccount(`${name}-sa`, o as k8s.core.v1.ServiceAccountArgs, child);
      else if (o.kind === "PersistentVolume") pvs.push(new k8s.core.v1.PersistentVolume(logical, o as k8s.core.v1.PersistentVolumeArgs, child));
      else if (o.kind === "PersistentVolumeClaim") {
        // A claim binds to its reserved volume: create the volume first.
        new k8s.core.v1.PersistentVolumeClaim(logical, o as k8s.core.v1.PersistentVolumeClaimArgs, { ...child, dependsOn: pvs.slice() });
        claims.push(o.metadata.name);
      } else throw new Error(`ModelVolumes: unexpected ${o.kind} from the builders`);
    }
    this.claimNames = claims;
    this.registerOutputs({ claimNames: claims });
  }
}

