// Question sets as data: the design matrix (plan/access.ts) and the SCP rows (plan/scpRows.ts) each
// build a list of questions from the planned documents; one runner asks them of the one evaluator
// (plan/decide.ts, with the answer cache) and marks each broken promise with the shared rule
// (plan/expectation.ts). Dev tooling only (iam-simulate is AGPL-3.0).
import { decide, type EvalRequest } from "./decide";
import { meetsExpectation, type Expected } from "./expectation";
import type { AccessDecision, AccessKind } from "./types";

export type QuestionKind = AccessKind;

/** One step of a question: a request the engine must allow for the next to be asked. */
export interface Step {
  request: EvalRequest;
  /** How the answer names this step when it is not the first ("kms:Decrypt"). */
  prefix?: string;
}

export interface Question<Extra = unknown> {
  kind: QuestionKind;
  principal: string;
  label: string;
  action: string;
  resource: string;
  context?: Record<string, string>;
  /**
   * The requests AWS evaluates for this one call, in order (S3, then the KMS call S3 makes for an
   * SSE-KMS object): the first that is not allowed decides.
   */
  steps: Step[];
  /** The promise, or how to find it from the decision (the SCP rows compare with an SCP-free answer). */
  expected: Expected | ((decision: AccessDecision) => Promise<Expected>);
  /** Shown after `by` (what sets this row apart from another with the same action and resource). */
  note?: string;
  /** When false, a deny of the other kind (explicit for implicit) is a warning, not a breach. */
  denyKindMatters: boolean;
  /** What the set keeps with each question for its own rows (the design matrix's scope). */
  extra: Extra;
}

/** "breach" breaks the promise; "warning" only differs in which policy says no. */
export type Mark = "breach" | "warning" | null;

export interface Answered<Extra = unknown> {
  question: Question<Extra>;
  decision: AccessDecision;
  by: string;
  expected: Expected;
  mark: Mark;
}

/** The shared rule: a broken promise is a breach, unless only explicit and implicit denials differ and the set lets that pass. */
export function markOf(expected: Expected, decision: AccessDecision, denyKindMatters: boolean): Mark {
  if (meetsExpectation(expected, decision)) return null;
  return denyKindMatters || decision === "Allowed" || expected === "Allowed" ? "breach" : "warning";
}

async function answer(q: Question, who: string): Promise<{ decision: AccessDecision; by: string }> {
  const parts: string[] = [];
  for (const s of q.steps) {
    const d = await decide(s.request, who);
    const by = s.prefix ? `${s.prefix}: ${d.by}` : d.by;
    if (d.decision !== "Allowed") return { decision: d.decision, by };
    parts.push(by);
  }
  return { decision: "Allowed", by: parts.join("; ") };
}

/** Asks every question of a set, in order; `who` names the set in an engine error. */
export async function runQuestions<Extra>(questions: Question<Extra>[], who: string): Promise<Answered<Extra>[]> {
  const out: Answered<Extra>[] = [];
  for (const q of questions) {
    const { decision, by } = await answer(q, who);
    const expected = typeof q.expected === "function" ? await q.expected(decision) : q.expected;
    out.push({ question: q, decision, by: q.note ? `${by} (${q.note})` : by, expected, mark: markOf(expected, decision, q.denyKindMatters) });
  }
  return out;
}
