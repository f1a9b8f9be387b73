// Question sets as data: the design matrix (plan/access.ts) and the SCP rows (plan/scpRows.ts) each
// build a list of questions from the planned documents, and the attacker paths (plan/paths/engine.ts)
// ask theirs one at a time while the graph search decides what to ask next; one runner asks them all
// of the one evaluator (plan/decide.ts, with the answer cache) and marks each broken promise with the
// shared rule (plan/expectation.ts). Dev tooling only (iam-simulate is AGPL-3.0).
import { decide, type EvalRequest } from "./decide";
import { markOf, type Expected, type Mark } from "./expectation";
export type { Mark };
import type { AccessDecision, AccessKind } from "./types";

/** The rows' kinds, and "path": an edge or goal request of the attacker paths (judged per path, plan/paths/verdicts.ts). */
export type QuestionKind = AccessKind | "path";

/** One step of a question: a request the engine must allow for the next to be asked. */
export interface Step {
  request: EvalRequest;
  /** How the answer names this step when it is not the first ("kms:Decrypt"). */
  prefix?: string;
}

export interface Question<Extra = unknown, Kind extends QuestionKind = QuestionKind> {
  kind: Kind;
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


export interface Answered<Extra = unknown, Kind extends QuestionKind = QuestionKind> {
  question: Question<Extra, Kind>;
  decision: AccessDecision;
  by: string;
  expected: Expected;
  mark: Mark;
  /** Steps asked of the engine (the first refusal ends the question). */
  asked: number;
}


async function answer(q: Question, who: string): Promise<{ decision: AccessDecision; by: string; asked: number }> {
  const parts: string[] = [];
  let asked = 0;
  for (const s of q.steps) {
    const d = await decide(s.request, who);
    asked++;
    const by = s.prefix ? `${s.prefix}: ${d.by}` : d.by;
    if (d.decision !== "Allowed") return { decision: d.decision, by, asked };
    parts.push(by);
  }
  return { decision: "Allowed", by: parts.join("; "), asked };
}

/** Asks one question; `who` names its set in an engine error. */
export async function askQuestion<Extra, Kind extends QuestionKind>(q: Question<Extra, Kind>, who: string): Promise<Answered<Extra, Kind>> {
  const { decision, by, asked } = await answer(q, who);
  const expected = typeof q.expected === "function" ? await q.expected(decision) : q.expected;
  return { question: q, decision, by: q.note ? `${by} (${q.note})` : by, expected, mark: markOf(expected, decision, q.denyKindMatters), asked };
}

/** Asks every question of a set, in order; `who` names the set in an engine error. */
export async function runQuestions<Extra, Kind extends QuestionKind>(questions: Question<Extra, Kind>[], who: string): Promise<Answered<Extra, Kind>[]> {
  const out: Answered<Extra, Kind>[] = [];
  for (const q of questions) out.push(await askQuestion(q, who));
  return out;
}
