// Every policy-bearing resource type of the installed @pulumi/aws is either read by the pack's one
// document reader or listed as not IAM language, with the reason in policypack/iam/locations.ts.
// Found from the provider's type declarations, so a provider upgrade that adds a type fails here.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { LOCATIONS, NOT_IAM } from "../policypack/iam/locations";
import { DOCUMENT_TYPES } from "../policypack/iam/reader";

const POLICY_INPUT =
  /^\s+(?:readonly )?(policy|accessPolicies|accessPolicy|assumeRolePolicy|inlinePolicy|policyDocument|resourcePolicy|sessionPolicy|deliveryDestinationPolicy|repositoryPolicy|basePolicyDocument|kmsPolicyDocument|s3PolicyDocument|stsPolicyDocument|policyText|policyBody|policyTemplate|content)\??: pulumi\.Input<([^;]*)>;/gm;

function scan(dir: string, out: Map<string, string[]>): void {
  for (const f of fs.readdirSync(dir)) {
    const p = path.join(dir, f);
    if (f === "types" || f === "node_modules") continue;
    if (fs.statSync(p).isDirectory()) scan(p, out);
    else if (f.endsWith(".d.ts")) {
      const text = fs.readFileSync(p, "utf8");
      const args = /export interface \w+Args \{([\s\S]*?)\n\}/.exec(text);
      if (!args) continue;
      const fields = [...args[1].matchAll(POLICY_INPUT)].filter((m) => /string|PolicyDocument/.test(m[2])).map((m) => m[1]);
      if (fields.length === 0) continue;
      const js = fs.readFileSync(p.replace(/\.d\.ts$/, ".js"), "utf8");
      const token = /__pulumiType = ['"]([^'"]+)['"]/.exec(js)?.[1];
      if (token) out.set(token, fields);
    }
  }
}

describe("policypack: every policy-bearing @pulumi/aws type is read", () => {
  it("each candidate from the provider's types is read or listed as not IAM", function () {
    this.timeout(60_000);
    const found = new Map<string, string[]>();
    scan(path.dirname(require.resolve("@pulumi/aws/package.json")), found);
    // `content` is mostly not a policy (objects, documents, schemas): only Organizations' is.
    const candidates = [...found].filter(([t, f]) => f.some((x) => x !== "content") || t.startsWith("aws:organizations/"));
    assert.ok(candidates.length > 80, `found only ${candidates.length} candidates: has the provider's layout changed?`);
    const known = new Set([...DOCUMENT_TYPES, ...NOT_IAM]);
    const unread = candidates.filter(([t]) => !known.has(t)).map(([t, f]) => `${t} (${f.join(", ")})`);
    assert.deepStrictEqual(unread, []);
  });
  it("reads each listed field from a real token of the provider", () => {
    for (const [t, locs] of Object.entries(LOCATIONS)) {
      const [, mod, name] = t.split(":");
      const [dir, file] = mod.split("/");
      const d = path.join(path.dirname(require.resolve("@pulumi/aws/package.json")), dir, `${file}.d.ts`);
      const text = fs.readFileSync(d, "utf8");
      assert.ok(text.includes(`class ${name} `), `${t}: no class ${name} in ${d}`);
      for (const l of locs) assert.ok(new RegExp(`\\b${l.field}\\??:`).test(text), `${t} has no input ${l.field}`);
    }
  });
});
