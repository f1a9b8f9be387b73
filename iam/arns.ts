// ARN spellings used across builders, so every document names resources the same way.
export const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;
export const objectsArn = (bucket: string, prefix = "") => `arn:aws:s3:::${bucket}/${prefix}*`;
export const accountRoot = (accountId: string) => `arn:aws:iam::${accountId}:root`;
export const roleArn = (accountId: string, name: string) => `arn:aws:iam::${accountId}:role/${name}`;
export const s3ViaService = (region: string) => `s3.${region}.amazonaws.com`;
