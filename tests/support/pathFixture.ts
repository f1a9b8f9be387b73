// The dev plan's IAM-relevant resources as they stood before the broker-hardening fixes (issue 12),
// frozen so the attacker-path tests keep finding today's escalations after those fixes merge.
// Written by `npx ts-node --transpile-only tests/support/pathFixture.ts` (run it only to refresh).
import * as fs from "node:fs";
import * as path from "node:path";
import type { PolicyDocument } from "../../iam/types";
import type { PathsConfig } from "../../plan/paths";
import type { Plan } from "../../plan/types";

export const FIXTURE = path.join(__dirname, "paths-dev-before-fixes.json");

export interface PathFixture {
  plan: Plan;
  config: PathsConfig;
  scps: PolicyDocument[];
}

const KEEP = /^aws:(iam|lambda|kms|cloudtrail|cloudfront\/distribution|s3\/(bucket:|bucketPolicy|bucketPublicAccessBlock|accountPublicAccessBlock))/;

/**
 * The caller policy jit/README.md documented before the fixes: lambda:InvokeFunctionUrl "(and
 * lambda:InvokeFunction)" on the API function, without lambda:InvokedViaFunctionUrl.
 */
export const CALLER_POLICY_BEFORE_FIXES = (functionArn: string): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "UseJitBroker", Effect: "Allow", Action: ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"], Resource: functionArn }],
});

export function loadPathFixture(): PathFixture {
  return JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as PathFixture;
}

if (require.main === module) {
  void (async () => {
    const { buildPlan } = await import("../../plan/build");
    const { loadOrgStack } = await import("../../plan/orgScps");
    const { plan, config } = await buildPlan("dev");
    const { scps } = await loadOrgStack("org");
    const resources = plan.resources
      .filter((r) => r.custom && KEEP.test(r.type))
      .map((r) => {
        const inputs = { ...r.inputs };
        delete inputs.code;
        delete inputs.environment;
        return { ...r, inputs, outputs: { arn: r.outputs.arn, id: r.outputs.id, name: r.outputs.name, keyId: r.outputs.keyId } };
      });
    const fixture: PathFixture = {
      plan: { project: plan.project, stack: plan.stack, resources, outputs: {} },
      config: { accountId: config.accountId, region: config.region, access: config.access, jit: config.jit, cdn: { enabled: config.cdn.enabled, prefixes: config.cdn.prefixes } },
      scps: scps.map((s) => s.document),
    };
    fs.writeFileSync(FIXTURE, JSON.stringify(fixture, null, 1) + "\n");
    console.log(`wrote ${FIXTURE}: ${resources.length} resources, ${fixture.scps.length} SCP(s)`);
  })();
}
