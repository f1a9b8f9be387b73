// OrgGuardrails: Organizations service control policies that keep member-account administrators from
// undoing model-vault's protections (object deletes/overwrites, bucket security, account Block Public
// Access, the audit trail and its logs, model-vault's own roles, the people's roles, the JIT broker,
// leaving the organization), attached to the OUs,
// accounts or root in config. Deployed from the management account (or a delegated administrator):
// see Pulumi.org.yaml and docs/org.md.
//
// The statements, their size and their split across documents come from iam/scp.ts (pure); this file
// only registers them. A document that would exceed AWS's 5,120-character limit, or rules that need
// more SCPs than a target can take, fail here, before anything is registered.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { maxGuardrailDocuments, maxPerimeterDocuments, type OrgConfig } from "../config/org";
import { S3_POLICY_TYPE, orgS3BlockPublicAccessPolicy } from "../iam/orgS3Policy";
import { buildRcps } from "../iam/rcp";
import { buildScps, minify } from "../iam/scp";
import type { PolicyDocument } from "../iam/types";

export interface OrgGuardrailsArgs {
  /** The resolved `organization` config section. */
  organization: OrgConfig;
  /** The stack's tags, put on every SCP. */
  tags: Record<string, string>;
  /** Protect the SCPs and their attachments from accidental `pulumi destroy` (the stack's `protect`). */
  protect: boolean;
}

export interface OrgGuardrailAttachment {
  policyName: string;
  targetId: string;
  attachment: aws.organizations.PolicyAttachment;
}

export class OrgGuardrails extends pulumi.ComponentResource {
  /** The SCP documents as registered (also the `content` of each policy, minified). */
  readonly documents: PolicyDocument[];
  /** Minified size of each document, in characters (AWS limit 5,120). */
  readonly sizes: number[];
  /** Notes for the plan reader (e.g. that the rules were split). */
  readonly notes: string[];
  readonly policies: aws.organizations.Policy[];
  readonly policyIds: pulumi.Output<string>[];
  readonly attachments: OrgGuardrailAttachment[];
  /** The RCP documents as registered (empty without organization.organizationId). */
  readonly rcpDocuments: PolicyDocument[];
  readonly rcpSizes: number[];
  readonly rcpPolicies: aws.organizations.Policy[];
  readonly rcpAttachments: OrgGuardrailAttachment[];
  /** The organization-level S3 Block Public Access policy (organization.s3BlockPublicAccessPolicy). */
  readonly s3Policy?: aws.organizations.Policy;

  constructor(name: string, args: OrgGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Measured and split before anything is registered: a size error leaves nothing half-built.
    const org = args.organization;
    const packed = buildScps(org, { maxDocuments: maxGuardrailDocuments(org) });
    const rcps = org.organizationId
      ? buildRcps({ ...org, organizationId: org.organizationId }, { maxDocuments: maxPerimeterDocuments(org) })
      : { documents: [], sizes: [], notes: [] };
    super("model-vault:org:OrgGuardrails", name, {}, opts);
    this.documents = packed.documents;
    this.sizes = packed.sizes;
    this.notes = packed.notes;

    const many = packed.documents.length > 1;
    const childOpts: pulumi.CustomResourceOptions = { parent: this, protect: args.protect };
    this.policies = packed.documents.map(
      (doc, i) =>
        new aws.organizations.Policy(
          many ? `${name}-scp-${i + 1}` : `${name}-scp`,
          {
            name: many ? `${org.policyName}-${i + 1}` : org.policyName,
            description:
              `model-vault guardrails${many ? ` (part ${i + 1} of ${packed.documents.length})` : ""}: ` +
              `only the elevated role publishes model objects; nobody deletes logs; only the deployer changes bucket security, ` +
              `the audit trail, model-vault's and the people's roles and the JIT broker`,
            type: "SERVICE_CONTROL_POLICY",
            content: minify(doc),
            tags: args.tags,
          },
          childOpts,
        ),
    );
    this.policyIds = this.policies.map((p) => p.id);

    this.attachments = [];
    for (const targetId of org.targets) {
      this.policies.forEach((policy, i) => {
        const policyName = many ? `${org.policyName}-${i + 1}` : org.policyName;
        const attachment = new aws.organizations.PolicyAttachment(
          many ? `${name}-${targetId}-${i + 1}` : `${name}-${targetId}`,
          { policyId: policy.id, targetId },
          childOpts,
        );
        this.attachments.push({ policyName, targetId, attachment });
      });
    }

    // RCPs: the same shape as the SCPs, attached to the same targets.
    const manyRcps = rcps.documents.length > 1;
    const rcpName = (i: number) => (manyRcps ? `${org.rcpPolicyName}-${i + 1}` : org.rcpPolicyName);
    this.rcpDocuments = rcps.documents;
    this.rcpSizes = rcps.sizes;
    this.notes.push(...rcps.notes);
    this.rcpPolicies = rcps.documents.map(
      (doc, i) =>
        new aws.organizations.Policy(
          manyRcps ? `${name}-rcp-${i + 1}` : `${name}-rcp`,
          {
            name: rcpName(i),
            description:
              `model-vault perimeter${manyRcps ? ` (part ${i + 1} of ${rcps.documents.length})` : ""}: ` +
              `the model and log buckets and keys refuse principals outside the organization and its partner accounts, plain HTTP, ` +
              `and anyone but the broker's issuer assuming the elevated role`,
            type: "RESOURCE_CONTROL_POLICY",
            content: minify(doc),
            tags: args.tags,
          },
          childOpts,
        ),
    );
    this.rcpAttachments = [];
    for (const targetId of org.targets) {
      this.rcpPolicies.forEach((policy, i) => {
        const attachment = new aws.organizations.PolicyAttachment(
          manyRcps ? `${name}-rcp-${targetId}-${i + 1}` : `${name}-rcp-${targetId}`,
          { policyId: policy.id, targetId },
          childOpts,
        );
        this.rcpAttachments.push({ policyName: rcpName(i), targetId, attachment });
      });
    }

    if (org.s3BlockPublicAccessPolicy) {
      const s3Policy = new aws.organizations.Policy(
        `${name}-s3-policy`,
        {
          name: org.s3PolicyName,
          description: "model-vault: all four S3 Block Public Access settings on, organization-wide, for every account under the targets",
          type: S3_POLICY_TYPE,
          content: JSON.stringify(orgS3BlockPublicAccessPolicy()),
          tags: args.tags,
        },
        childOpts,
      );
      for (const targetId of org.targets) {
        new aws.organizations.PolicyAttachment(`${name}-s3-${targetId}`, { policyId: s3Policy.id, targetId }, childOpts);
      }
      this.s3Policy = s3Policy;
    }

    this.registerOutputs({
      policyIds: this.policyIds,
      sizes: this.sizes,
      rcpPolicyIds: this.rcpPolicies.map((p) => p.id),
      rcpSizes: this.rcpSizes,
      targets: org.targets,
    });
  }
}
