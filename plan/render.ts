// The human-readable plan: a tree of components and resources, then whatever the judges found.
import { renderAccessSection } from "./accessRender";
import { renderOrgSections } from "./scpRender";
import { lastPathStats } from "./paths";
import { renderPathsSection } from "./paths/render";
import type { Plan, PlanResource } from "./types";

const short = (type: string) => type.replace(/^aws:[\w-]+\/\w+:/, "aws:").replace(/^model-vault:/, "");

export function renderTree(plan: Plan): string[] {
  const children = new Map<string | null, PlanResource[]>();
  for (const r of plan.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, indent: string) => {
    const list = (children.get(parent) ?? []).sort((a, b) => Number(a.custom) - Number(b.custom) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const flags = [r.options.protect ? "protected" : "", r.options.retainOnDelete ? "retained" : ""].filter(Boolean).join(", ");
      const id = typeof r.outputs.arn === "string" ? `  ${r.outputs.arn}` : "";
      lines.push(`${indent}${last ? "└─" : "├─"} ${short(r.type)}  ${r.name}${flags ? `  [${flags}]` : ""}${id}`);
      walk(r.urn, indent + (last ? "   " : "│  "));
    });
  };
  walk(null, "");
  return lines;
}

export function renderPolicySection(plan: Plan): string[] {
  if (!plan.policy) return [];
  const v = plan.policy.violations;
  const name = (urn: string) => urn.split("::").pop();
  const byLevel = (level: string) => v.filter((x) => x.level === level).map((x) => `  [${x.policy}] ${name(x.urn)}: ${x.message}`);
  const mandatory = byLevel("mandatory");
  const advisory = byLevel("advisory");
  return [
    `Policy pack (policypack/, ${plan.stack} config): ${mandatory.length} mandatory, ${advisory.length} advisory violation(s)`,
    ...(mandatory.length ? [" mandatory:", ...mandatory] : []),
    ...(advisory.length ? [" advisory:", ...advisory] : []),
  ];
}

export function renderPlan(plan: Plan, sections: string[][] = []): string {
  const custom = plan.resources.filter((r) => r.custom).length;
  const out = [
    `Plan for ${plan.project}/${plan.stack}: ${custom} resources in ${plan.resources.length - custom} components (offline: Pulumi mocks + fake cloud, nothing deployed)`,
    "",
    ...renderTree(plan),
    "",
    "Outputs:",
    ...Object.entries(plan.outputs).map(([k, v]) => `  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`),
  ];
  for (const s of [...sections, renderPolicySection(plan), renderAccessSection(plan), ...renderOrgSections(plan), renderPathsSection(plan, lastPathStats())]) if (s.length) out.push("", ...s);
  if (plan.warnings?.length) out.push("", "Warnings:", ...plan.warnings.map((w) => `  ! ${w}`));
  return out.join("\n");
}
