// The attacker-path search: from every starting principal, a breadth-first walk over the edges
// (plan/paths/edges.ts), checking the goals (plan/paths/goals.ts) at each principal reached. The
// first time a goal is reached from a start is its shortest path; plan/paths/verdicts.ts judges it.
import type { AttackPath, PathHop } from "../types";
import { EdgeFinder, startActor, type Edge } from "./edges";
import { PathEngine, type Actor } from "./engine";
import { goalsFor, type Goal, type GoalId } from "./goals";
import type { PathModel } from "./model";
import { judge } from "./verdicts";

/** Hops beyond which the walk stops (every path found so far is 3 hops or fewer). */
export const MAX_HOPS = 6;

export interface PathsResult {
  paths: AttackPath[];
  /** Every edge found, for tests and the curious. */
  edges: { from: string; kind: Edge["kind"]; to: string; hop: PathHop }[];
  stats: { edgesEvaluated: number; engineQuestions: number; pruned: number; principals: number };
}

export async function findPaths(m: PathModel): Promise<PathsResult> {
  const engine = new PathEngine(m);
  const finder = new EdgeFinder(m, engine);
  const goals = goalsFor(m);
  // Per actor and goal, asked only while some start still looks for that goal.
  const reachMemo = new Map<string, Promise<PathHop | null>>();
  const reach = (a: Actor, g: Goal): Promise<PathHop | null> => {
    const key = `${a.key}|${g.id}`;
    let r = reachMemo.get(key);
    if (!r) {
      r = (async () => {
        // A rewrite matters for the goals the role could not reach before it.
        if (a.rewritten && (await reach({ ...a, key: `${a.key}#before`, identityPolicies: a.principal.identityPolicies, boundary: a.principal.boundary, rewritten: false }, g))) return null;
        return directGoal(engine, a, g);
      })();
      reachMemo.set(key, r);
    }
    return r;
  };

  const paths: AttackPath[] = [];
  const edges: PathsResult["edges"] = [];
  const seenEdges = new Set<string>();
  for (const start of m.principals.filter((p) => p.start)) {
    const first = startActor(start);
    const parent = new Map<string, { from: Actor; edge: Edge } | null>([[first.key, null]]);
    // The shortest path per goal; and when that one is designed, the shortest breach too, so that a
    // designed path never hides a breach of the same goal. (A principal that reaches a goal through
    // a door AWS leaves open, an accepted limit, gains nothing from a longer way to it.)
    const found = new Map<GoalId, "done" | "designed">();
    let frontier = [first];
    for (let depth = 0; frontier.length > 0 && depth <= MAX_HOPS; depth++) {
      const next: Actor[] = [];
      for (const a of frontier) {
        for (const g of goals) {
          const goal = g.id;
          if (found.get(goal) === "done") continue;
          const goalHop = await reach(a, g);
          if (!goalHop) continue;
          const steps: { from: Actor; edge: Edge }[] = [];
          for (let s = parent.get(a.key); s; s = parent.get(s.from.key)) steps.unshift(s);
          const { verdict, reason, startOnly } = judge({ goal, start, steps: steps.map((s) => ({ kind: s.edge.kind, to: s.edge.to })), goalAction: goalHop.action }, m);
          if (found.has(goal) && verdict !== "breach") continue;
          found.set(goal, verdict === "designed" && !startOnly ? "designed" : "done");
          paths.push({ goal, from: start.arn, fromLabel: start.label, hops: [...steps.map((s) => s.edge.hop), goalHop], verdict, ...(reason ? { reason } : {}) });
        }
        // Every goal settled for this start: walking further finds nothing to report.
        if (depth === MAX_HOPS || goals.every((g) => found.get(g.id) === "done")) continue;
        for (const e of await finder.edgesOf(a)) {
          const id = `${a.principal.id}|${e.kind}|${e.to.principal.id}|${e.hop.action}`;
          if (!seenEdges.has(id)) {
            seenEdges.add(id);
            edges.push({ from: a.principal.id, kind: e.kind, to: e.to.principal.id, hop: e.hop });
          }
          if (parent.has(e.to.key)) continue;
          parent.set(e.to.key, { from: a, edge: e });
          next.push(e.to);
        }
      }
      frontier = next;
    }
  }
  const order = { breach: 0, "accepted-limit": 1, designed: 2 } as const;
  paths.sort((a, b) => order[a.verdict] - order[b.verdict] || goals.findIndex((g) => g.id === a.goal) - goals.findIndex((g) => g.id === b.goal));
  return { paths, edges, stats: { edgesEvaluated: finder.evaluated, engineQuestions: engine.stats.asked, pruned: engine.stats.pruned, principals: m.principals.length } };
}

/** Whether an actor reaches a goal by its own requests, and the hop that does. */
async function directGoal(engine: PathEngine, a: Actor, g: Goal): Promise<PathHop | null> {
  for (const alt of g.alternatives) {
    const by = await engine.allowAll(a, alt);
    if (by) return { action: alt.map((r) => r.action).join(" + "), resource: alt[0].resource, decidedBy: by };
  }
  return null;
}
