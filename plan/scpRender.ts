// The org sections of the text plan: the SCPs an org stack deploys, and the SCP rows of a workload's matrix.
import { SCP_MAX_CHARS, SCP_MAX_PER_TARGET } from "../iam/scp";
import { displayLabel, explainLine, kindInfo, renderRowGroups, rowsOfKind } from "./rowsRender";
import type { Plan } from "./types";
import { scpsFromPlan } from "./scpListing";

/** Text section for the plan renderer; empty when the plan has no SCPs. The text plan gives the statements with --explain. */
export function renderScpSection(plan: Plan, o: { statements?: boolean } = {}): string[] {
  const scps = scpsFromPlan(plan);
  if (scps.length === 0) return [];
  const lines = [`Service control policies (${scps.length}; limit ${SCP_MAX_CHARS} characters each, minified)`];
  for (const s of scps) {
    const pct = Math.round((100 * s.size) / SCP_MAX_CHARS);
    lines.push(`  ${s.name}  ${s.size}/${SCP_MAX_CHARS} characters (${pct}%)  attached to: ${s.targets.join(", ") || "(nothing)"}`);
    if (o.statements === false) {
      lines.push(`    ${s.document.Statement.length} statement(s): ${s.document.Statement.map((st) => st.Sid ?? "(no Sid)").join(", ")}`);
      continue;
    }
    for (const st of s.document.Statement) {
      const actions = Array.isArray(st.Action) ? st.Action : st.Action ? [st.Action] : [];
      const cond = st.Condition ? ` if ${JSON.stringify(st.Condition)}` : "";
      lines.push(`    ${st.Effect} ${st.Sid ?? "(no Sid)"}: ${actions.length} action(s) on ${JSON.stringify(st.Resource)}${cond}`);
    }
  }
  const perTarget = new Map<string, number>();
  for (const s of scps) for (const t of s.targets) perTarget.set(t, (perTarget.get(t) ?? 0) + 1);
  for (const [t, n] of perTarget) {
    lines.push(`  target ${t}: ${n} guardrail SCP(s) + FullAWSAccess = ${n + 1} of ${SCP_MAX_PER_TARGET}`);
  }
  if (scps.length > 1) lines.push(`  note: the guardrails did not fit one SCP and were split across ${scps.length} documents`);
  return lines;
}

export { SCP_LABEL_PREFIX } from "./rowsRender";

/** The SCP rows, each with the statement that decided it (`--scp-rows --explain`; tests read it). */
export function renderScpMatrixSection(plan: Plan): string[] {
  const cells = rowsOfKind(plan, "scp");
  if (cells.length === 0) return [];
  return [`${kindInfo("scp").title} (${kindInfo("scp").basis})`, ...renderRowGroups(cells, explainLine, (label, c) => `  ${displayLabel("scp", label)}  ${c.principal}`)];
}

/** Every org section for the text plan: the SCPs an org stack deploys, and the SCP rows of a workload's matrix. */
export function renderOrgSections(plan: Plan): string[][] {
  return [renderScpSection(plan), renderScpMatrixSection(plan)];
}
