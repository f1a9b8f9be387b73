// Kubernetes delivery of a consumer's prefixes as read-only volumes, through the Mountpoint for Amazon S3
// CSI driver v2 with pod-level credentials (the pod's service account role, not the driver's or the node's).
// Pure builders: the YAML CLI (models/k8s-cli.ts) and the stack output use the same objects.
// https://github.com/awslabs/mountpoint-s3-csi-driver/blob/main/docs/CONFIGURATION.md (static provisioning,
// authenticationSource: pod, stsRegion, mountOptions); https://github.com/awslabs/mountpoint-s3/blob/main/doc/CONFIGURATION.md
import type { Consumer } from "../config/access";

export const S3_CSI_DRIVER = "s3.csi.aws.com";
/** The IRSA annotation EKS's pod identity webhook reads. https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html */
export const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";
/** Where the example Deployment mounts the first prefix. */
export const MODEL_MOUNT_PATH = "/models";

export type EksConsumer = Extract<Consumer, { kind: "eks-irsa" | "eks-pod-identity" }>;
export const isEksConsumer = (c: Consumer): c is EksConsumer => c.kind === "eks-irsa" || c.kind === "eks-pod-identity";

/** `A`: the role ARN's type: a string for YAML, a Pulumi Output for the component (components/ModelVolumes.ts). */
export interface K8sDeliveryArgs<A = string> {
  consumer: EksConsumer;
  roleArn: A;
  bucketName: string;
  region: string;
  /** Example Deployment: the images of the verifier (with the `model-vault-models` bin) and of the server. Absent: no Deployment. */
  images?: { verifier: string; server: string };
  /** Path of the release below the first prefix the init container verifies; default the prefix itself. */
  release?: string;
}

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };

const dns = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63).replace(/-+$/, "");

export function volumeNames(c: EksConsumer, index: number): { pv: string; pvc: string } {
  return { pv: dns(`model-vault-${c.namespace}-${c.name}-${index}`), pvc: dns(`${c.name}-models-${index}`) };
}

/** A PersistentVolume per prefix: read-only at Mountpoint, ReadOnlyMany, reserved for its claim, pod credentials. */
export function persistentVolume<A>(a: K8sDeliveryArgs<A>, prefix: string, index: number): K8sObject {
  const n = volumeNames(a.consumer, index);
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: n.pv, labels: { "app.kubernetes.io/managed-by": "model-vault", "model-vault/consumer": a.consumer.name } },
    spec: {
      accessModes: ["ReadOnlyMany"],
      // Ignored by the driver, required by Kubernetes.
      capacity: { storage: "1200Gi" },
      // Static provisioning: no storage class, and claimRef so no other claim can bind this volume.
      storageClassName: "",
      claimRef: { namespace: a.consumer.namespace, name: n.pvc },
      persistentVolumeReclaimPolicy: "Retain",
      // read-only: Mountpoint refuses writes itself, whatever the role allowed; prefix: the consumer sees only its prefix.
      mountOptions: ["read-only", `region ${a.region}`, `prefix ${prefix}`, "allow-other"],
      csi: {
        driver: S3_CSI_DRIVER,
        volumeHandle: n.pv,
        readOnly: true,
        volumeAttributes: {
          bucketName: a.bucketName,
          // The pod's service account credentials (IRSA or Pod Identity), never the driver's.
          authenticationSource: "pod",
          ...(a.consumer.kind === "eks-irsa" ? { stsRegion: a.region } : {}),
        },
      },
    },
  };
}

export function persistentVolumeClaim<A>(a: K8sDeliveryArgs<A>, index: number): K8sObject {
  const n = volumeNames(a.consumer, index);
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: n.pvc, namespace: a.consumer.namespace },
    spec: { accessModes: ["ReadOnlyMany"], storageClassName: "", volumeName: n.pv, resources: { requests: { storage: "1200Gi" } } },
  };
}

/** IRSA: annotated with the consumer role. Pod Identity: the stack's association (createAssociation) names this account. */
export function serviceAccount<A>(a: K8sDeliveryArgs<A>): K8sObject {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: a.consumer.serviceAccount,
      namespace: a.consumer.namespace,
      ...(a.consumer.kind === "eks-irsa" ? { annotations: { [IRSA_ANNOTATION]: a.roleArn } } : {}),
    },
  };
}

/** An example Deployment: the verifier as an init container gates the server; both mount the volume read-only. */
export function exampleDeployment<A>(a: K8sDeliveryArgs<A>): K8sObject | undefined {
  if (!a.images) return undefined;
  const claim = volumeNames(a.consumer, 0).pvc;
  const dir = a.release ? `${MODEL_MOUNT_PATH}/${a.release.replace(/^\/+|\/+$/g, "")}` : MODEL_MOUNT_PATH;
  const mount = { name: "models", mountPath: MODEL_MOUNT_PATH, readOnly: true };
  const hardened = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
  };
  const labels = { app: dns(`${a.consumer.name}-server`) };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: labels.app, namespace: a.consumer.namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: a.consumer.serviceAccount,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
          initContainers: [
            {
              name: "verify-release",
              image: a.images.verifier,
              // Exits 1 on an incomplete release (or one that differs from its manifest): the server never starts on it.
              command: ["model-vault-models", "verify", dir],
              volumeMounts: [mount],
              securityContext: hardened,
            },
          ],
          containers: [
            {
              name: "server",
              image: a.images.server,
              env: [{ name: "MODEL_DIR", value: dir }],
              volumeMounts: [mount],
              securityContext: hardened,
            },
          ],
          volumes: [{ name: "models", persistentVolumeClaim: { claimName: claim, readOnly: true } }],
        },
      },
    },
  };
}

/** Everything a cluster needs for one consumer: a PV + PVC per prefix, the service account, the example Deployment. */
export function k8sDelivery<A>(a: K8sDeliveryArgs<A>): K8sObject[] {
  const out: K8sObject[] = [serviceAccount(a)];
  a.consumer.prefixes.forEach((p, i) => out.push(persistentVolume(a, p, i), persistentVolumeClaim(a, i)));
  const d = exampleDeployment(a);
  if (d) out.push(d);
  return out;
}
