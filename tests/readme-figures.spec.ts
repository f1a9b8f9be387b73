// The README quotes what the commands print; a quote that drifts from the code misleads the first
// reader, so each quoted figure that a test can compute is checked here.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { plain } from "../plan/layout";
import { verdictLine } from "../plan/render";
import { planFor } from "./support/plans";

const README = readFileSync(path.resolve(__dirname, "../README.md"), "utf8");

describe("README: the figures it quotes", function () {
  this.timeout(120_000);

  it("quotes the dev plan's verdict line exactly as the plan prints it today", async () => {
    const { plan, failures } = await planFor("dev");
    const quoted = README.replace(/\s+/g, " ").match(/`(PASS model-vault\/dev: [^`]+)`/);
    assert.ok(quoted, "the README quotes the dev plan's verdict");
    assert.equal(quoted[1], plain(verdictLine(plan, failures)));
  });

  it("states the dev plan's resource count where it describes the plan's work", async () => {
    const { plan } = await planFor("dev");
    const custom = plan.resources.filter((r) => r.custom).length;
    const stated = README.match(/registers (\d+) resources under Pulumi's mock/);
    assert.ok(stated, "the Speed section states how many resources the dev plan registers");
    assert.equal(Number(stated[1]), custom);
  });
});
