// The HTML report's structure on the sample, DOM-free (a self-contained page: no script, nothing fetched);
// tests/report-browser.spec.ts loads the same page in a real headless browser.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { accessReport } from "../report/cli";
import { renderHtml } from "../report/render-html";
import type { AccessReport } from "../report/types";
import { planFor } from "./support/plans";

const SAMPLE = path.resolve(__dirname, "../samples/access-report/dev");

describe("access report: the HTML page", function () {
  this.timeout(120_000);
  let report: AccessReport;
  let html: string;
  before(async () => {
    report = await accessReport({ stack: "dev", logs: SAMPLE, plan: await planFor("dev") }, () => undefined);
    html = renderHtml(report);
  });

  it("is self-contained: no script, no external resource", () => {
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /\b(src|href)=/i);
    assert.doesNotMatch(html, /@import|url\(/i);
  });

  it("draws one line per read prefix over every hour from the first read to the last", () => {
    const lines = [...html.matchAll(/<polyline class="series" data-prefix="([^"]+)"[^>]*points="([^"]+)"/g)];
    assert.deepEqual(lines.map((m) => m[1]), ["models/llama/", "models/mistral/", "models/shared/"]);
    // 09:00, 10:00 (no reads: zero) and 11:00.
    for (const m of lines) assert.equal(m[2].split(" ").length, 3);
  });

  it("grids actual use beside the plan: used, unused and off-plan cells", () => {
    const row = (label: string) => {
      const m = new RegExp(`<tr><th[^>]*>${label.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}</th>(.*?)</tr>`).exec(html);
      assert.ok(m, `no row ${label}`);
      return [...m[1].matchAll(/<td class="([^"]+)">/g)].map((c) => c[1]);
    };
    // Columns: models/, models/embeddings/, models/llama/, models/mistral/, models/shared/
    assert.deepEqual(row("consumer sagemaker-inference"), ["none", "none", "used", "none", "none"]);
    assert.deepEqual(row("consumer eks-batch"), ["none", "unused", "none", "none", "none"]);
    assert.deepEqual(row("consumer ec2-batch"), ["none", "none", "none", "off-plan", "none"]);
    assert.deepEqual(row("arn:aws:iam::111111111111:role/data-science-notebook (not in the plan)"), ["none", "none", "off-plan", "none", "none"]);
  });

  it("lists every anomaly and elevated session", () => {
    assert.match(html, /<h2 id="anomalies">Anomalies \(5\)<\/h2>/);
    for (const id of ["UNK0000", "ANON00000001", "OOB0000000000001", "DEN0000000000001", "JIT0000000000001"]) assert.ok(html.includes(id), id);
  });
});
