// The client side of an idempotent claim: one key per invocation, reused on every retry, so a
// claim whose answer was lost (a 503, a dropped connection) is retried without being recorded
// twice. Only retryable failures are retried; a refusal (403, 409, 410) is final.
import { ClientError, type BrokerClient } from "./client";
import { newIdempotencyKey } from "./claims";
import type { ClaimResult } from "./handlers";

export interface ClaimRetry {
  tries: number;
  baseMs: number;
  sleep: (ms: number) => Promise<void>;
}

const DEFAULT: ClaimRetry = { tries: 4, baseMs: 200, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** Network failure (no status) or 503: the broker recorded nothing, or a retry with the same key converges. */
function retryable(e: unknown): boolean {
  return e instanceof ClientError && (e.status === undefined || e.status === 503 || e.status === 502 || e.status === 504);
}

export async function claimWithRetries(client: Pick<BrokerClient, "call">, id: string, opts: Partial<ClaimRetry> & { key?: string } = {}): Promise<ClaimResult> {
  const o = { ...DEFAULT, ...opts };
  const key = opts.key ?? newIdempotencyKey();
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.call<ClaimResult>("POST", `/requests/${encodeURIComponent(id)}/claim`, { idempotencyKey: key });
    } catch (e) {
      if (!retryable(e) || attempt >= o.tries) throw e;
      await o.sleep(Math.floor(Math.random() * o.baseMs * 2 ** attempt));
    }
  }
}
