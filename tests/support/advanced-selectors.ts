// CloudTrail's advanced-event-selector semantics, for tests: an event is recorded when any selector matches; a
// selector matches when all its field selectors do; Equals/StartsWith need one value to match, NotEquals/
// NotStartsWith need none to (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html).
import type { AdvancedEventSelector } from "../../iam/auditPolicies";

type Rec = Record<string, unknown>;

function values(r: Rec, field: string): string[] {
  switch (field) {
    case "eventCategory":
      return [String(r.eventCategory)];
    case "readOnly":
      return [String(r.readOnly)];
    case "eventName":
      return [String(r.eventName)];
    case "eventSource":
      return [String(r.eventSource)];
    case "resources.type":
      return ((r.resources ?? []) as Rec[]).map((x) => String(x.type));
    case "resources.ARN":
      return ((r.resources ?? []) as Rec[]).map((x) => String(x.ARN));
    case "userIdentity.arn": {
      const arn = (r.userIdentity as Rec | undefined)?.arn;
      return typeof arn === "string" ? [arn] : [];
    }
    default:
      throw new Error(`unsupported field ${field}`);
  }
}

export function recorded(selectors: AdvancedEventSelector[], r: Rec): boolean {
  return selectors.some((s) =>
    s.fieldSelectors.every((f) => {
      const vs = values(r, f.field);
      if (f.equals && !vs.some((v) => f.equals?.includes(v))) return false;
      if (f.startsWiths && !vs.some((v) => f.startsWiths?.some((p) => v.startsWith(p)))) return false;
      if (f.notEquals && vs.some((v) => f.notEquals?.includes(v))) return false;
      if (f.notStartsWiths && vs.some((v) => f.notStartsWiths?.some((p) => v.startsWith(p)))) return false;
      return true;
    }),
  );
}
