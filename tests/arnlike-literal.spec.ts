// iam/arnLike.ts compares patterns without a wildcard directly instead of through a regular
// expression: on every pair of a corpus (literal and wildcard patterns, short and malformed ARNs,
// case and non-ASCII case folding) it answers exactly as the regular expression it replaces.
import { strict as assert } from "node:assert";
import { actionLike, arnLike, globLike } from "../iam/arnLike";

/** The matchers as they were: every comparison through `^glob$`. */
const re = (glob: string, flags = "") => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, flags);
const fields = (s: string) => {
  const parts = s.split(":");
  return parts.length < 6 || parts[0] !== "arn" ? undefined : [...parts.slice(0, 5), parts.slice(5).join(":")];
};
function referenceArnLike(pattern: string, arn: string): boolean {
  if (pattern === "*") return true;
  const p = fields(pattern);
  if (!p) return pattern.startsWith("arn:") ? false : re(pattern).test(arn);
  const a = fields(arn);
  return !!a && p.every((f, i) => re(f).test(a[i]));
}

const CORPUS = [
  "arn:aws:iam::111111111111:role/x",
  "arn:aws:iam::111111111111:role/X",
  "arn:aws:iam::111111111111:role/x:extra",
  "arn:aws:iam::111111111111:root",
  "arn:aws:iam::111111111111",
  "arn:aws:iam:",
  "arn:",
  "arn",
  "arn:aws:s3:::bucket/models/a.bin",
  "arn:aws:s3:::bucket/models/*",
  "arn:aws:iam::*:role/x",
  "arn:aws:iam::111111111111:role/?",
  "ec2.amazonaws.com",
  "anonymous",
  "*",
  "",
  "111111111111",
  "s3:GetObject",
  "S3:getobject",
  "s3:Get*",
  "s3:GetObjec?",
  "kms:Decrypt",
  "k\u212Ams:Decrypt",
  "\u017F3:GetObject",
  "s3:GetObject\n",
  "iam:PassRole",
  "IAM:PASSROLE",
  "iam:Pass[Role]",
  "a.b",
  "axb",
  "@",
  "`",
];

describe("iam/arnLike: literal patterns answer as the regular expression did", () => {
  it("arnLike, globLike and actionLike agree with the reference on every pair of the corpus", () => {
    const wrong: string[] = [];
    for (const p of CORPUS) {
      for (const v of CORPUS) {
        if (arnLike(p, v) !== referenceArnLike(p, v)) wrong.push(`arnLike(${JSON.stringify(p)}, ${JSON.stringify(v)})`);
        if (globLike(p, v) !== re(p).test(v)) wrong.push(`globLike(${JSON.stringify(p)}, ${JSON.stringify(v)})`);
        if (actionLike(p, v) !== (p === "*" || re(p, "i").test(v))) wrong.push(`actionLike(${JSON.stringify(p)}, ${JSON.stringify(v)})`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it("case folds ASCII letters only as the regular expression does", () => {
    assert.ok(actionLike("IAM:passrole", "iam:PassRole"));
    // U+212A KELVIN SIGN lower-cases to "k", but a non-unicode /i regular expression does not fold it.
    assert.equal(actionLike("kms:Decrypt", "\u212Ams:Decrypt"), re("kms:Decrypt", "i").test("\u212Ams:Decrypt"));
    assert.ok(!actionLike("@", "`"));
  });
});
