// Generated stacks of many consumers (issue 17): the dev stack's config with its consumers replaced
// by `n` generated ones, four kinds mixed, 1-3 prefixes each. Deterministic, so a plan of the same
// size asks the same questions every time (the scale test and `npm run bench -- --only scale`).
import { readStackConfig, PROJECT } from "../../plan/stackFiles";

const ACCOUNT = "111111111111";
const OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E`;
const MODELS = ["llama", "mistral", "embeddings", "shared", "qwen", "phi", "gemma"];

/** One consumer of the generated stack; `i` picks its kind (round robin) and 1-3 prefixes. */
export function generatedConsumer(i: number): Record<string, unknown> {
  const name = `c${String(i).padStart(4, "0")}`;
  const count = 1 + (i % 3);
  const prefixes = Array.from({ length: count }, (_, k) => `models/${MODELS[(i + k * 2) % MODELS.length]}/${k === 0 ? "" : `v${i % 5}/`}`);
  switch (i % 4) {
    case 0:
      return { name, kind: "service", service: i % 8 === 0 ? "ec2.amazonaws.com" : "sagemaker.amazonaws.com", ...(i % 8 === 0 ? { instanceProfile: true } : {}), prefixes };
    case 1:
      return { name, kind: "eks-irsa", oidcProviderArn: OIDC, namespace: `ns-${i % 17}`, serviceAccount: `reader-${i}`, prefixes };
    case 2:
      return { name, kind: "eks-pod-identity", clusterName: `cluster-${i % 5}`, namespace: `ns-${i % 13}`, serviceAccount: `loader-${i}`, prefixes };
    default:
      return { name, kind: "account", principalArn: `arn:aws:iam::${String(222222220000 + (i % 9999)).padStart(12, "0")}:role/model-consumer-${i}`, externalId: `ext-${name}-7f3a`, prefixes };
  }
}

/** The dev stack's config (JSON-valued, as runProgram takes it) with `n` generated consumers. */
export function scaleStackConfig(n: number, base = "dev"): Record<string, string> {
  const config = readStackConfig(base);
  config[`${PROJECT}:consumers`] = JSON.stringify(Array.from({ length: n }, (_, i) => generatedConsumer(i)));
  return config;
}
