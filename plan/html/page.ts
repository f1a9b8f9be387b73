import type { Plan } from "../types";
export function renderHtml(plan: Plan, failures: string[]): string { return JSON.stringify({ plan, failures }); }
