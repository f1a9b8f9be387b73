// The attacker-path search: from every starting principal, a breadth-first walk over the edges
// (plan/paths/edges.ts), checking the goals (plan/paths/goals.ts) at each principal reached. The
// first time a goal is reached from a start is its shortest path; plan/paths/verdicts.ts judges it.
// Unless that verdict is a breach or rests on the start alone, the walk goes on for a breach.
import type { AttackPath, PathHop } from "../types";
import { EdgeFinder, startActor, type Edge } from "./edges";
import { PathEngine, type Actor, type Request } from "./engine";
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

/** `exhaustive`: the edge finder tries every role for every actor (plan/paths/edgeIndex.ts; for tests). */
export async function findPaths(m: PathModel, opts: { exhaustive?: boolean } = {}): Promise<PathsResult> {
  const engine = new PathEngine(m);
  const finder = new EdgeFinder(m, engine, opts);
  const goals = goalsFor(m);
  // Per actor, goal and group of alternatives (alternatives with the same actions are judged alike),
  // asked only while some start still looks for that goal.
  const groups = new Map(goals.map((g) => [g.id, groupAlternatives(g)]));
  const reachMemo = new Map<string, Promise<PathHop | null>>();
  const reach = (a: Actor, g: Goal, gi: number): Promise<PathHop | null> => {
    const key = `${a.key}|${g.id}|${gi}`;
    let r = reachMemo.get(key);
    if (!r) {
      r = (async () => {
        // A rewrite matters for the goals the role could not reach before it.
        if (a.rewritten && (await reach({ ...a, key: `${a.key}#before`, identityPolicies: a.principal.identityPolicies, boundary: a.principal.boundary, rewritten: false }, g, gi))) return null;
        return directGoal(engine, a, groups.get(g.id)![gi]);
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
    // The shortest path per goal; and while that one is designed or an accepted limit, the shortest
    // breach too: neither hides a breach of the same goal, by a longer way or another action. Only a
    // verdict on the start alone (startOnly) settles the goal for every other way.
    const found = new Map<GoalId, "done" | "open">();
    let frontier = [first];
    for (let depth = 0; frontier.length > 0 && depth <= MAX_HOPS; depth++) {
      const next: Actor[] = [];
      for (const a of frontier) {
        for (const g of goals) {
          const goal = g.id;
          for (let gi = 0; gi < groups.get(goal)!.length && found.get(goal) !== "done"; gi++) {
            const goalHop = await reach(a, g, gi);
            if (!goalHop) continue;
            const steps: { from: Actor; edge: Edge }[] = [];
            for (let s = parent.get(a.key); s; s = parent.get(s.from.key)) steps.unshift(s);
            const { verdict, reason, startOnly } = judge({ goal, start, steps: steps.map((s) => ({ kind: s.edge.kind, to: s.edge.to })), goalAction: goalHop.action }, m);
            if (found.has(goal) && verdict !== "breach") continue;
            found.set(goal, verdict === "breach" || startOnly ? "done" : "open");
            paths.push({ goal, from: start.arn, fromLabel: start.label, hops: [...steps.map((s) => s.edge.hop), goalHop], verdict, ...(reason ? { reason } : {}) });
          }
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

/** A goal's alternatives grouped by their actions, in order of first appearance. */
function groupAlternatives(g: Goal): Request[][][] {
  const byActions = new Map<string, Request[][]>();
  for (const alt of g.alternatives) {
    const k = alt.map((r) => r.action).join(" + ");
    byActions.set(k, [...(byActions.get(k) ?? []), alt]);
  }
  return [...byActions.values()];
}

/** Whether an actor reaches a goal by its own requests (one of these alternatives), and the hop that does. */
async function directGoal(engine: PathEngine, a: Actor, alternatives: Request[][]): Promise<PathHop | null> {
  for (const alt of alternatives) {
    const by = await engine.allowAll(a, alt);
    if (by) return { action: alt.map((r) => r.action).join(" + "), resource: alt[0].resource, decidedBy: by };
  }
  return null;
}
