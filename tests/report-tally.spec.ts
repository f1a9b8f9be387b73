// Which source counts a request: an access-log line the trail also recorded is skipped (the trail's record has
// the session's source identity), per read-logging mode; without any CloudTrail file the access logs count alone.
import { strict as assert } from "node:assert";
import { Tally } from "../report/aggregate";
import type { AccessEvent, Grant } from "../report/types";

const SM = "arn:aws:iam::111111111111:role/model-vault/sm";
const CDN = "cloudfront.amazonaws.com";
const grants: Grant[] = [
  { principal: SM, label: "consumer sm", ops: ["read"], prefixes: ["models/llama/"] },
  { principal: CDN, label: "CDN", ops: ["read"], prefixes: ["models/llama/"] },
];
const line = (principal: string, op: AccessEvent["op"] = "read"): AccessEvent => ({ kind: "access", time: "2026-11-30T10:00:00Z", principal, op, key: "models/llama/a", denied: false, requestId: "R", source: "access-log" });

function counted(mode: "none" | "unexpected" | "all", sawTrail: boolean, e: AccessEvent): boolean {
  const t = new Tally({ grants, prefixes: ["models/llama/"], readDataEvents: mode, trailExcludedReaders: [SM], range: {} });
  t.sawTrail = sawTrail;
  t.add(e);
  return t.records.counted === 1;
}

describe("access report: one count per request, whichever log has it", () => {
  it("none: every read comes from the access logs; writes from the trail", () => {
    assert.equal(counted("none", true, line(SM)), true);
    assert.equal(counted("none", true, line("arn:aws:iam::111111111111:role/x")), true);
    assert.equal(counted("none", true, line(SM, "write")), false);
  });
  it("unexpected: the consumers' reads from the access logs; everyone else's (the CDN too) from the trail", () => {
    assert.equal(counted("unexpected", true, line(SM)), true);
    assert.equal(counted("unexpected", true, line("arn:aws:iam::111111111111:role/x")), false);
    assert.equal(counted("unexpected", true, line(CDN)), false);
  });
  it("all: every authenticated request from the trail; anonymous ones from the access logs", () => {
    assert.equal(counted("all", true, line(SM)), false);
    assert.equal(counted("all", true, line("anonymous")), true);
  });
  it("without any CloudTrail file, the access logs count everything", () => {
    assert.equal(counted("all", false, line(SM, "write")), true);
  });
});
