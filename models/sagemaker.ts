// SageMaker's ModelDataSource for uncompressed model loading, for each `service` consumer on
// sagemaker.amazonaws.com: one per prefix it may read (append a release's path below it). Pure.
// S3DataType S3Prefix + CompressionType None loads the files under the prefix as they are, and the
// S3Uri of an S3Prefix source must end with '/'.
// https://docs.aws.amazon.com/sagemaker/latest/dg/large-model-inference-uncompressed.html
// https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_S3ModelDataSource.html
import type { Consumer } from "../config/access";

export const SAGEMAKER_SERVICE = "sagemaker.amazonaws.com";

export interface ModelDataSource {
  S3DataSource: { S3Uri: string; S3DataType: "S3Prefix"; CompressionType: "None" };
}

export function sagemakerModelDataSources(consumers: readonly Consumer[], bucketName: string): Record<string, ModelDataSource[]> {
  const out: Record<string, ModelDataSource[]> = {};
  for (const c of consumers) {
    if (c.kind !== "service" || c.service !== SAGEMAKER_SERVICE) continue;
    out[c.name] = c.prefixes.map((p) => ({ S3DataSource: { S3Uri: `s3://${bucketName}/${p}`, S3DataType: "S3Prefix", CompressionType: "None" } }));
  }
  return out;
}
