import * as pulumi from "@pulumi/pulumi";

/** prod keeps data-bearing resources: Pulumi refuses to delete them, and a delete leaves them in AWS. */
export function dataBearing(protect: boolean, parent: pulumi.Resource, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  return { ...extra, parent, protect, retainOnDelete: protect };
}
