// `--html FILE` in a real browser (issue 19 item 2): headless Chromium (Debian's chromium, which
// .ci/run installs) loads the page from a file:// URL with every other request refused, and the test
// reads the grid's cells and colours against the JSON plan, clicks a cell and sees its statements,
// finds each attacker path in the drawn graph, and saves a screenshot. No Chromium is a failure,
// not a skip: CI installs it.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Page } from "puppeteer-core";
import { PALETTE } from "../plan/html/assets";
import { main } from "../plan/cli";
import { markOfRow } from "../plan/expectation";
import { columnOf, displayLabel, type Row } from "../plan/rowsRender";
import type { AccessCell, Plan } from "../plan/types";
import { openFile, type OpenedPage } from "./support/browser";
import { serially } from "./support/plans";

// Run inside the page (tsconfig has no DOM library).
declare const getComputedStyle: (e: unknown) => { backgroundColor: string; display: string };

/** "#b7e4c7" as a browser computes it: "rgb(183, 228, 199)". */
function rgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

describe("review: the HTML page in headless Chromium", function () {
  this.timeout(180_000);
  let dir: string;
  let plan: Plan;
  let opened: OpenedPage;
  let page: Page;
  let foreign: string[];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "mv-html-"));
    const file = path.join(dir, "dev.html");
    let out = "";
    const code = await serially(() => main(["--stack", "dev", "--json", "--html", file], { out: (s) => (out += s), err: () => undefined }));
    assert.equal(code, 0);
    plan = JSON.parse(out) as Plan;
    opened = await openFile(file);
    ({ page, foreign } = opened);
  });

  after(async () => {
    await opened?.close();
    // The screenshot stays for a person to look at; the page is reproducible.
  });

  it("is self-contained: nothing but the file itself is requested", () => {
    assert.deepEqual(foreign, []);
  });

  it("shows the plan's verdict", async () => {
    const verdict = await page.$eval("#verdict", (e) => e.textContent);
    assert.match(verdict ?? "", /^PASS model-vault\/dev: \d+ resources · 0 violations · 0 access breaches · 0 breach paths/);
  });

  it("every design cell of the JSON plan is in the grid with its decision and colour", async () => {
    const cells = await page.$$eval('td.cell[data-kind="design"]', (tds) =>
      tds.map((td) => ({ label: td.getAttribute("data-label"), col: td.getAttribute("data-col"), decision: td.getAttribute("data-decision"), colour: getComputedStyle(td).backgroundColor })),
    );
    const design = (plan.access ?? []).filter((c) => (c.kind ?? "design") === "design") as Row[];
    assert.equal(cells.length, design.length, "one cell per design row (each asks a distinct request)");
    for (const c of design) {
      const td = cells.find((x) => x.label === c.label && x.col === columnOf(c));
      assert.ok(td, `${c.label} ${columnOf(c)} is in the grid`);
      assert.equal(td.decision, c.decision, `${c.label} ${columnOf(c)}`);
      const mark = markOfRow(c);
      assert.equal(td.colour, rgb(mark ? PALETTE[mark] : PALETTE[c.decision]), `${c.label} ${columnOf(c)} is coloured for ${mark ?? c.decision}`);
    }
  });

  it("the SCP rows have their own grid, each cell holding its rows", async () => {
    const n = await page.$$eval('td.cell[data-kind="scp"]', (tds) => tds.reduce((s, td) => s + (td.getAttribute("data-rows") ?? "").split(",").length, 0));
    assert.equal(n, (plan.access ?? []).filter((c) => c.kind === "scp").length);
  });

  it("clicking a cell opens the statements that decided it", async () => {
    const c = (plan.access ?? []).find((x) => x.label.startsWith("consumer") && x.action === "s3:GetObject" && x.decision === "Allowed") as AccessCell & Row;
    const selector = `td.cell[data-kind="design"][data-label="${c.label}"][data-col="${columnOf(c)}"]`;
    assert.equal(await page.$eval("#details", (e) => getComputedStyle(e).display), "none");
    await page.click(selector);
    const text = await page.$eval("#details", (e) => (e as unknown as { innerText: string }).innerText);
    assert.equal(await page.$eval("#details", (e) => getComputedStyle(e).display), "block");
    assert.ok(text.includes(c.by), `the details show "${c.by}": ${text}`);
    assert.ok(text.includes(displayLabel("design", c.label)));
  });

  it("draws every attacker path: its principal, its goal and an edge per hop", async () => {
    const graph = await page.$eval("#paths-graph", (svg) => ({
      nodes: [...svg.querySelectorAll("g.node")].map((g) => g.getAttribute("data-id")),
      edges: [...svg.querySelectorAll("g.edge")].map((g) => ({ from: g.getAttribute("data-from"), to: g.getAttribute("data-to"), action: g.getAttribute("data-action"), verdict: g.getAttribute("class")!.split(" ")[1] })),
      box: svg.getBoundingClientRect().width,
    }));
    assert.ok(graph.box > 0);
    for (const p of plan.paths ?? []) {
      assert.ok(graph.nodes.includes(`from:${p.from}`), `node for ${p.from}`);
      assert.ok(graph.nodes.includes(`goal:${p.goal}`), `node for ${p.goal}`);
      const last = p.hops[p.hops.length - 1];
      assert.ok(graph.edges.some((e) => e.to === `goal:${p.goal}` && e.action === last.action), `an edge into ${p.goal} by ${last.action}`);
    }
    assert.deepEqual(graph.edges.filter((e) => e.verdict === "breach"), [], "dev has no breach path");
  });

  it("lists the violations, the warnings and the resource tree", async () => {
    assert.match((await page.$eval("#violations h2", (e) => e.textContent)) ?? "", /0 mandatory, 0 advisory/);
    const tree = await page.$$eval("#tree li", (lis) => lis.length);
    assert.equal(tree, plan.resources.length);
  });

  it("saves a screenshot", async () => {
    const shot = path.join(dir, "dev.png");
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(fs.statSync(shot).size > 10_000, shot);
    console.log(`      screenshot: ${shot}`);
  });
});
