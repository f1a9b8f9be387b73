// Organizations service control policies (SCPs) for model-vault: the outer wall that keeps a member
// account's own administrators from undoing the model bucket's protections.
//
// Pure: builds the Deny statements from name patterns, measures the minified documents the way AWS
// does (characters of the JSON without insignificant whitespace) and packs the statements into as few
// documents as fit the 5,120-character limit. No Pulumi import; tested directly (tests/org-scp.spec.ts).
//
// Every statement is a Deny with an exemption on aws:PrincipalArn (ArnNotLike), so the SCP never grants
// anything: FullAWSAccess (or whatever Allow SCPs the organization already has) keeps granting, and these
// documents only carve out what nobody but the named roles may do.
//
// The parts, each in its own file: the action lists (iam/scpActions.ts), the name patterns
// (iam/scpPatterns.ts), the statements (iam/scpStatements.ts), sizes and packing (iam/scpPack.ts),
// the people check (iam/scpPeople.ts) and lockout recovery (iam/scpRecovery.ts). This file re-exports
// them for their importers.
export { SCP_MAX_CHARS, SCP_MAX_PER_TARGET } from "./limits";
export * from "./scpActions";
export * from "./scpPack";
export * from "./scpPatterns";
export * from "./scpPeople";
export * from "./scpRecovery";
export * from "./scpStatements";
