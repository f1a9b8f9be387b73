// HTTP routing over the broker, shared by the Lambda function URL and the sandbox server: the
// transport establishes the caller, this maps method + path + body to a broker operation.
import type { Broker } from "./handlers";
import { JitError } from "./errors";
import { STATUSES, type Caller, type Status } from "./types";
import { approveSchema, claimSchema, denySchema, newRequestSchema, parseBody, parseId, revokeSchema } from "./validate";

export interface HttpRequest {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  body: unknown;
}

export function errorResponse(e: unknown, log: (m: string) => void = (m) => console.error(m)): HttpResponse {
  if (e instanceof JitError) return { status: e.status, body: { error: e.code, message: e.message } };
  log(`jit: internal error: ${(e as Error)?.stack ?? String(e)}`);
  return { status: 500, body: { error: "internal", message: "internal error (see the broker's logs)" } };
}

export async function route(broker: Broker, caller: Caller, req: HttpRequest): Promise<HttpResponse> {
  try {
    const parts = req.path.replace(/\/+$/, "").split("/").filter(Boolean);
    const m = req.method.toUpperCase();
    if (parts[0] !== "requests" || parts.length > 3) throw new JitError("not-found", `no route ${m} ${req.path}`);
    if (parts.length === 1) {
      if (m === "POST") return { status: 201, body: await broker.request(caller, parseBody(newRequestSchema, req.body)) };
      if (m === "GET") {
        const status = req.query.status?.toUpperCase();
        if (status !== undefined && !(STATUSES as readonly string[]).includes(status))
          throw new JitError("bad-request", `status must be one of ${STATUSES.join(", ")}`);
        return { status: 200, body: await broker.list(caller, { status: status as Status | undefined, mine: req.query.mine === "1" || req.query.mine === "true" }) };
      }
      throw new JitError("not-found", `no route ${m} ${req.path}`);
    }
    const id = parseId(parts[1]);
    const action = parts[2];
    if (m === "GET" && action === undefined) return { status: 200, body: await broker.get(caller, id) };
    if (m === "GET" && action === "audit") return { status: 200, body: await broker.audit(caller, id) };
    if (m === "POST") {
      switch (action) {
        case "approve":
          return { status: 200, body: await broker.approve(caller, id, parseBody(approveSchema, req.body).reason) };
        case "deny":
          return { status: 200, body: await broker.deny(caller, id, parseBody(denySchema, req.body).reason) };
        case "revoke":
          return { status: 200, body: await broker.revoke(caller, id, parseBody(revokeSchema, req.body).reason) };
        case "claim":
          return { status: 200, body: await broker.claim(caller, id, parseBody(claimSchema, req.body)) };
      }
    }
    throw new JitError("not-found", `no route ${m} ${req.path}`);
  } catch (e) {
    return errorResponse(e);
  }
}
