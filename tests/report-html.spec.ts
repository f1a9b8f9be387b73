// The HTML report's structure on the sample, DOM-free (a self-contained page: no script, nothing fetched), and,
// where Debian's chromium is installed, the same page loaded by a headless browser.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import * as path from "node:path";
import { accessReport } from "../report/cli";
import { renderHtml } from "../report/render-html";
import type { AccessReport } from "../report/types";
import { tempDir } from "./support/model-dir";
import { planFor } from "./support/plans";

const SAMPLE = path.resolve(__dirname, "../samples/access-report/dev");
const CHROMIUM = "/usr/bin/chromium";

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

  it("loads in headless chromium with the chart and the grid in the DOM", async function () {
    if (!existsSync(CHROMIUM)) this.skip();
    const dir = await tempDir("report-html");
    const file = path.join(dir, "report.html");
    await fs.writeFile(file, html);
    const r = spawnSync(CHROMIUM, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", `file://${file}`], { encoding: "utf8", timeout: 90_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /<svg[^>]*aria-label="Reads per prefix per hour"/);
    assert.equal((r.stdout.match(/<polyline class="series"/g) ?? []).length, 3);
    assert.equal((r.stdout.match(/<table class="grid">/g) ?? []).length, 1);
  });
});
