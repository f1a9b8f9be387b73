// Offline-plan support for the org guardrails (issue 6). Dev tooling only: it uses iam-simulate
// (AGPL-3.0), so components and runtime code never import this file.
//
//  - scpsFromPlan(plan):        the SCPs and attachments an org stack's plan registers, with sizes.
//  - renderScpSection(plan):    the text section `npm run plan -- --stack org` prints.
//  - scpMatrixCells(input):     access-matrix rows proving the SCPs' effect: an all-powerful workload
//                               administrator (synthetic, never deployed) is denied deletes, security
//                               changes and tampering with the JIT broker; the elevated, deployer and
//                               broker roles keep exactly their rights.
//  - workloadScpInputs(plan, scps, org): picks the bucket, bucket policy, trail, roles and their
//                               policies, and the JIT broker out of a workload stack's plan.
//
// Each part in its own file: the SCP listing (plan/scpListing.ts), the rows (plan/scpRows.ts), the
// workload inputs (plan/scpInputs.ts), the people check (plan/scpPeople.ts), the plan hook
// (plan/scpApply.ts) and the text sections (plan/scpRender.ts). This file re-exports them.
export { arnLike } from "../iam/arnLike";
export * from "./scpApply";
export * from "./scpInputs";
export * from "./scpListing";
export * from "./scpPeople";
export * from "./scpRender";
export * from "./scpRows";
