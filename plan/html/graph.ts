// The attacker paths as a drawn graph (inline SVG, laid out here): starting principals on the left,
// the goals on the right, the roles and functions a path passes through in between, one column per
// hop. Each edge is a hop, coloured by the worst verdict of the paths that take it; its tooltip gives
// the action and the statement that allowed it.
import { fromOf } from "../paths/render";
import type { AttackPath, PathVerdict } from "../types";
import { VERDICT_COLOUR } from "./assets";
import { esc } from "./escape";

interface Node {
  id: string;
  text: string;
  layer: number;
  kind: "from" | "via" | "goal";
}

interface Edge {
  from: string;
  to: string;
  action: string;
  decidedBy: string;
  verdict: PathVerdict;
}

const RANK: Record<PathVerdict, number> = { breach: 3, "accepted-limit": 2, designed: 1 };
const NODE_W = 240;
const NODE_H = 22;
const GAP_X = 110;
const GAP_Y = 10;
const PAD = 12;

/** The short name of an ARN: what follows its last "/" or ":". */
export function shortName(arn: string): string {
  const m = /[^/:]+$/.exec(arn);
  return m ? m[0] : arn;
}

const clipText = (s: string, n = 38) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function pathGraph(paths: AttackPath[]): { nodes: Node[]; edges: Edge[] } {
  const longest = Math.max(1, ...paths.map((p) => p.hops.length));
  const nodes = new Map<string, Node>();
  const edges = new Map<string, Edge>();
  const node = (id: string, text: string, layer: number, kind: Node["kind"]) => {
    const n = nodes.get(id);
    if (!n) nodes.set(id, { id, text, layer, kind });
    else if (kind === "via") n.layer = Math.min(n.layer, layer);
    return id;
  };
  for (const p of paths) {
    let prev = node(`from:${p.from}`, fromOf(p), 0, "from");
    p.hops.forEach((h, i) => {
      const last = i === p.hops.length - 1;
      const to = last ? node(`goal:${p.goal}`, p.goal, longest, "goal") : node(`via:${h.resource}`, shortName(h.resource), i + 1, "via");
      const key = `${prev}\u0000${to}\u0000${h.action}`;
      const e = edges.get(key);
      if (!e) edges.set(key, { from: prev, to, action: h.action, decidedBy: h.decidedBy, verdict: p.verdict });
      else if (RANK[p.verdict] > RANK[e.verdict]) e.verdict = p.verdict;
      prev = to;
    });
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** The graph as an SVG element (empty string when there are no paths). */
export function renderPathGraph(paths: AttackPath[]): string {
  if (paths.length === 0) return "";
  const { nodes, edges } = pathGraph(paths);
  const layers = new Map<number, Node[]>();
  for (const n of nodes) layers.set(n.layer, [...(layers.get(n.layer) ?? []), n]);
  const pos = new Map<string, { x: number; y: number }>();
  const layerIds = [...layers.keys()].sort((a, b) => a - b);
  let height = 0;
  layerIds.forEach((l, col) => {
    const list = layers.get(l)!.sort((a, b) => a.text.localeCompare(b.text));
    list.forEach((n, i) => pos.set(n.id, { x: PAD + col * (NODE_W + GAP_X), y: PAD + i * (NODE_H + GAP_Y) }));
    height = Math.max(height, PAD * 2 + list.length * (NODE_H + GAP_Y));
  });
  const width = PAD * 2 + layerIds.length * NODE_W + (layerIds.length - 1) * GAP_X;
  const order = [...edges].sort((a, b) => RANK[a.verdict] - RANK[b.verdict]);
  const edgeSvg = order.map((e) => {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const mid = (x1 + x2) / 2;
    const colour = VERDICT_COLOUR[e.verdict];
    return (
      `<g class="edge ${e.verdict}" data-from="${esc(e.from)}" data-to="${esc(e.to)}" data-action="${esc(e.action)}">` +
      `<title>${esc(`${e.action} (${e.verdict})\n<- ${e.decidedBy}`)}</title>` +
      `<path d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}" fill="none" stroke="${colour}" stroke-width="${e.verdict === "breach" ? 3 : 1.5}" marker-end="url(#arrow-${e.verdict})"/>` +
      `</g>`
    );
  });
  const nodeSvg = nodes.map((n) => {
    const p = pos.get(n.id)!;
    return (
      `<g class="node ${n.kind}" data-id="${esc(n.id)}"><title>${esc(n.id.replace(/^\w+:/, ""))}</title>` +
      `<rect x="${p.x}" y="${p.y}" width="${NODE_W}" height="${NODE_H}" rx="4"/>` +
      `<text x="${p.x + 6}" y="${p.y + 15}">${esc(clipText(n.text))}</text></g>`
    );
  });
  const markers = (Object.keys(VERDICT_COLOUR) as PathVerdict[])
    .map((v) => `<marker id="arrow-${v}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${VERDICT_COLOUR[v]}"/></marker>`)
    .join("");
  return `<svg id="paths-graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="attacker paths"><defs>${markers}</defs>${edgeSvg.join("")}${nodeSvg.join("")}</svg>`;
}
