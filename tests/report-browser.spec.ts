// The access report's `--html FILE` as a person sees it: the real CLI (`npm run access-report`'s command)
// runs over the shipped sample with --json and --html, headless Chromium opens the page (nothing but the file
// may load), and every check reads the rendered DOM and its layout against the JSON report of the same run:
// the chart's drawn series and their points, the grid's counts beside the planned access, the anomalies,
// readable colours and nothing drawn over anything else. A screenshot stays in the temp dir.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { Page } from "puppeteer-core";
import { PALETTE } from "../report/render-html";
import type { AccessReport, Op } from "../report/types";
import { openFile, type OpenedPage } from "./support/browser";

// Run inside the page (tsconfig has no DOM library).
declare const getComputedStyle: (e: unknown) => Record<string, string>;
declare const innerWidth: number;

const ROOT = path.resolve(__dirname, "..");
const SAMPLE = path.join(ROOT, "samples/access-report/dev");

/** `npm run access-report -- ARGS`, without npm in between: the script's own command line. */
async function accessReportCli(args: string[]): Promise<string> {
  const script = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts["access-report"];
  const [node, ...rest] = script.split(" ");
  assert.equal(node, "node", script);
  const { stdout } = await promisify(execFile)(process.execPath, [...rest, ...args], { cwd: ROOT, maxBuffer: 16 << 20 });
  return stdout;
}

type Box = { left: number; top: number; right: number; bottom: number; width: number; height: number };
const intersects = (a: Box, b: Box) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
const inside = (a: Box, b: Box) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;

/** WCAG 2.1 contrast ratio of two computed colours ("rgb(r, g, b)"), https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Every hour from the report's first read to its last (the chart's x axis). */
function hoursOf(r: AccessReport): string[] {
  const seen = Object.values(r.readsOverTime).flatMap((s) => Object.keys(s)).sort();
  const hours: string[] = [];
  for (let t = Date.parse(`${seen[0]}:00:00Z`); t <= Date.parse(`${seen[seen.length - 1]}:00:00Z`); t += 3_600_000) hours.push(new Date(t).toISOString().slice(0, 13));
  return hours;
}

describe("access report: the HTML page in headless Chromium", function () {
  this.timeout(180_000);
  let dir: string;
  let report: AccessReport;
  let opened: OpenedPage;
  let page: Page;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "mv-report-html-"));
    const file = path.join(dir, "dev.html");
    report = JSON.parse(await accessReportCli(["--stack", "dev", "--logs", SAMPLE, "--json", "--html", file])) as AccessReport;
    opened = await openFile(file);
    page = opened.page;
  });

  after(async () => {
    await opened?.close();
  });

  it("is self-contained and quiet: nothing but the file is requested, no console error", () => {
    assert.deepEqual(opened.foreign, []);
    assert.deepEqual(opened.errors, []);
  });

  it("draws the chart visibly: one series per prefix with reads, every hour a point inside the viewBox, heights true to the counts", async () => {
    const chart = await page.$eval('svg[aria-label="Reads per prefix per hour"]', (svg) => {
      const r = svg.getBoundingClientRect();
      const vb = svg.viewBox.baseVal;
      const style = getComputedStyle(svg);
      return {
        box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height },
        viewBox: { x: vb.x, y: vb.y, width: vb.width, height: vb.height },
        shown: style.display !== "none" && style.visibility === "visible" && style.opacity !== "0",
        series: [...svg.querySelectorAll(".series")].map((l) => {
          const s = getComputedStyle(l);
          return { prefix: l.getAttribute("data-prefix") as string, points: [...l.points].map((p) => ({ x: p.x as number, y: p.y as number })), stroke: s.stroke, width: parseFloat(s.strokeWidth), shown: s.display !== "none" && s.visibility === "visible" && s.opacity !== "0" && s.strokeOpacity !== "0" };
        }),
        viewport: { width: innerWidth },
      };
    });
    assert.ok(chart.shown && chart.box.width > 0 && chart.box.height > 0, `the chart is visible: ${JSON.stringify(chart.box)}`);
    assert.ok(chart.box.left >= 0 && chart.box.right <= chart.viewport.width, "the chart fits the window");

    const read = Object.entries(report.readsOverTime).filter(([, s]) => Object.values(s).some((n) => n > 0));
    assert.ok(read.length > 1, "the sample reads more than one prefix");
    assert.deepEqual(chart.series.map((s) => s.prefix).sort(), read.map(([p]) => p).sort(), "one series per prefix with reads");
    const hours = hoursOf(report);
    const points: { v: number; y: number; where: string }[] = [];
    for (const [prefix, counts] of read) {
      const s = chart.series.find((x) => x.prefix === prefix)!;
      assert.ok(s.shown && s.width > 0 && s.stroke !== "none", `${prefix} is stroked`);
      assert.equal(s.points.length, hours.length, `${prefix}: a point per hour ${hours[0]}..${hours[hours.length - 1]}`);
      const { x, y, width, height } = chart.viewBox;
      s.points.forEach((p, i) => {
        assert.ok(p.x >= x && p.x <= x + width && p.y >= y && p.y <= y + height, `${prefix} ${hours[i]} (${p.x},${p.y}) is inside the viewBox`);
        points.push({ v: counts[hours[i]] ?? 0, y: p.y, where: `${prefix} ${hours[i]}` });
      });
      assert.ok(s.points.every((p, i) => i === 0 || p.x > s.points[i - 1].x), `${prefix}: time runs left to right`);
    }
    // One linear scale for all series: y = y0 - k * reads, k > 0 (more reads, higher on the screen).
    const lo = points.reduce((a, b) => (b.v < a.v ? b : a));
    const hi = points.reduce((a, b) => (b.v > a.v ? b : a));
    assert.ok(hi.v > lo.v);
    const k = (lo.y - hi.y) / (hi.v - lo.v);
    assert.ok(k > 0, "more reads are drawn higher");
    for (const p of points) assert.ok(Math.abs(p.y - (lo.y - k * (p.v - lo.v))) < 0.5, `${p.where}: ${p.v} read(s) drawn at y=${p.y}`);
    const y0 = lo.y + k * lo.v;
    assert.ok(y0 <= chart.viewBox.y + chart.viewBox.height, "zero is inside the chart");
  });

  it("keys each series in the legend with its own colour, each readable against the page", async () => {
    const chart = await page.$eval('svg[aria-label="Reads per prefix per hour"]', (svg) => ({
      strokes: [...svg.querySelectorAll(".series")].map((l) => ({ prefix: l.getAttribute("data-prefix") as string, stroke: getComputedStyle(l).stroke })),
      keys: [...svg.nextElementSibling.querySelectorAll(".key")].map((k) => ({ text: k.textContent.trim(), colour: getComputedStyle(k.querySelector("i")).backgroundColor, width: k.querySelector("i").getBoundingClientRect().width })),
    }));
    assert.equal(new Set(chart.strokes.map((s) => s.stroke)).size, chart.strokes.length, "every series has its own colour");
    for (const s of chart.strokes) {
      const key = chart.keys.find((k) => k.text === s.prefix);
      assert.ok(key && key.width > 0, `a legend key for ${s.prefix}`);
      assert.equal(key.colour, s.stroke, `${s.prefix}'s key has its line's colour`);
      // Graphics need 3:1 against what is next to them (WCAG 2.1 SC 1.4.11).
      assert.ok(contrast(s.stroke, "rgb(255, 255, 255)") >= 3, `${s.prefix}'s line ${s.stroke} stands out from the white page`);
    }
  });

  it("has only series colours that stand out 3:1 from the white page, also those the sample's prefixes do not reach", () => {
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;
    const faint = PALETTE.filter((c) => contrast(rgb(c), "rgb(255, 255, 255)") < 3);
    assert.deepEqual(faint, []);
  });

  it("draws no chart label over another or outside the chart", async () => {
    const t = await page.$eval('svg[aria-label="Reads per prefix per hour"]', (svg) => {
      const box = (e: { getBoundingClientRect(): Box }) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
      };
      return { svg: box(svg), texts: [...svg.querySelectorAll("text")].map((e) => ({ text: e.textContent as string, box: box(e) })) };
    });
    assert.ok(t.texts.length >= 4, "the axes are labelled");
    for (const [i, a] of t.texts.entries()) {
      assert.ok(a.box.width > 0 && inside(a.box, t.svg), `"${a.text}" is drawn inside the chart`);
      for (const b of t.texts.slice(i + 1)) assert.ok(!intersects(a.box, b.box), `"${a.text}" and "${b.text}" overlap`);
    }
  });

  it("grids every principal x prefix: the actual counts of the JSON report beside the planned access", async () => {
    const grid = await page.$eval("table.grid", (table) => {
      const box = (e: { getBoundingClientRect(): Box }) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
      };
      const [head, ...rows] = [...table.rows];
      return {
        columns: [...head.cells].slice(1).map((c) => c.innerText.trim()),
        rows: rows.map((tr) => ({
          principal: tr.cells[0].getAttribute("title") as string,
          label: tr.cells[0].innerText.trim(),
          cells: [...tr.cells].slice(1).map((td) => {
            const actual = td.querySelector(".actual");
            const planned = td.querySelector(".planned");
            return { td: box(td), actual: actual.innerText.trim(), actualBox: box(actual), planned: planned.innerText.trim(), plannedBox: box(planned) };
          }),
        })),
      };
    });
    const columns = [...new Set([...report.grants.flatMap((g) => g.prefixes), ...report.principals.flatMap((p) => Object.keys(p.prefixes))])].sort();
    assert.deepEqual(grid.columns, columns, "a column per granted or used prefix");
    assert.deepEqual(grid.rows.map((r) => r.principal), report.principals.map((p) => p.principal), "a row per principal, in the report's order");
    for (const [i, p] of report.principals.entries()) {
      const row = grid.rows[i];
      assert.equal(row.label, p.planned ? p.label : `${p.principal} (not in the plan)`);
      for (const [j, prefix] of columns.entries()) {
        const cell = row.cells[j];
        const where: string = `${row.label} x ${prefix}`;
        const c = p.prefixes[prefix];
        const m = /^R (\d+) W (\d+) D (\d+)(?: denied (\d+))?$/.exec(cell.actual);
        if (!c) assert.equal(cell.actual, "", `${where}: no use`);
        else {
          assert.ok(m, `${where}: counts shown, got "${cell.actual}"`);
          assert.deepEqual(m.slice(1).map((n) => Number(n ?? 0)), [c.read, c.write, c.delete, c.denied], `${where}: R W D denied`);
        }
        const ops = new Set<Op>(report.grants.filter((g) => g.principal === p.principal && g.prefixes.some((gp) => prefix.startsWith(gp))).flatMap((g) => g.ops));
        const shown = cell.planned ? cell.planned.replace(/^planned: /, "").split(/,\s*/) : [];
        assert.deepEqual(new Set(shown), ops, `${where}: planned access`);
        // Beside: both in the cell, the plan under the counts, neither over the other.
        if (cell.actual && cell.planned) {
          assert.ok(inside(cell.actualBox, cell.td) && inside(cell.plannedBox, cell.td), `${where}: inside its cell`);
          assert.ok(cell.plannedBox.top >= cell.actualBox.bottom - 0.5, `${where}: the plan is under the counts, not over them`);
        }
      }
    }
    assert.ok(grid.rows.some((r) => r.cells.some((c) => c.actual && c.planned)), "the sample has cells with both");
  });

  it("shows each cell's counts on one line", async () => {
    const broken = await page.$$eval("table.grid .actual", (divs) =>
      divs
        .filter((d) => d.textContent)
        .map((d) => {
          const range = d.ownerDocument.createRange();
          range.selectNodeContents(d);
          return { text: d.textContent as string, lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size };
        })
        .filter((x) => x.lines > 1),
    );
    assert.deepEqual(broken, []);
  });

  it("lists exactly the JSON report's anomalies", async () => {
    const a = await page.$eval("#anomalies", (h2) => ({
      heading: h2.textContent as string,
      rows: [...h2.nextElementSibling.rows].slice(1).map((tr) => ({ why: tr.cells[1].innerText.trim(), request: tr.cells[tr.cells.length - 1].innerText.trim() })),
    }));
    assert.ok(report.anomalies.total > 0, "the sample has anomalies");
    assert.equal(a.heading, `Anomalies (${report.anomalies.total})`);
    assert.deepEqual(
      a.rows.map((r) => r.request),
      report.anomalies.items.map((x) => x.requestId),
    );
    assert.deepEqual(
      a.rows.map((r) => r.why),
      report.anomalies.items.map((x) => x.reasons.join(", ")),
    );
  });

  it("writes every text readably (4.5:1 against its background) and stacks the sections without overlap", async () => {
    const page_ = await page.$eval("body", (body) => {
      const doc = body.ownerDocument;
      const bg = (e: unknown): string => {
        for (let n = e as { parentElement: unknown } | null; n; n = n.parentElement as typeof n) {
          const c = getComputedStyle(n).backgroundColor;
          if (c && c !== "transparent" && !/rgba\(.*, 0\)$/.test(c)) return c;
        }
        return "rgb(255, 255, 255)";
      };
      const texts = [...doc.querySelectorAll("body *")]
        .filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) && e.getBoundingClientRect().width > 0)
        .map((e) => ({ text: e.textContent.trim().slice(0, 40), colour: e.namespaceURI.endsWith("svg") ? getComputedStyle(e).fill : getComputedStyle(e).color, bg: bg(e) }));
      const blocks = [...body.children].map((e) => {
        const r = e.getBoundingClientRect();
        return { tag: e.tagName, text: e.textContent.trim().slice(0, 30), top: r.top, bottom: r.bottom, height: r.height };
      });
      return { texts, blocks, scrollWidth: doc.scrollingElement.scrollWidth, width: innerWidth };
    });
    const unreadable = page_.texts.filter((t) => contrast(t.colour, t.bg) < 4.5).map((t) => `"${t.text}" ${t.colour} on ${t.bg}: ${contrast(t.colour, t.bg).toFixed(2)}`);
    assert.deepEqual(unreadable, []);
    const shown = page_.blocks.filter((b) => b.height > 0);
    for (let i = 1; i < shown.length; i++) assert.ok(shown[i].top >= shown[i - 1].bottom - 0.5, `${shown[i].tag} "${shown[i].text}" starts over ${shown[i - 1].tag} "${shown[i - 1].text}"`);
    assert.ok(page_.scrollWidth <= page_.width, `nothing runs off the side (${page_.scrollWidth} > ${page_.width})`);
  });

  it("saves a screenshot", async () => {
    const shot = path.join(dir, "dev.png");
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(fs.statSync(shot).size > 10_000, shot);
    console.log(`      screenshot: ${shot}`);
  });
});
