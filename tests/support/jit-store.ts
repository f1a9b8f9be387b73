// A request store that delegates to a real one except where a test injects a failure or a lag.
import type { RequestStore } from "../../jit/store";

export function delegating(real: RequestStore, over: Partial<RequestStore> = {}): RequestStore {
  return {
    create: (r) => real.create(r),
    get: (id) => real.get(id),
    transition: (r, t) => real.transition(r, t),
    commitClaim: (c) => real.commitClaim(c),
    list: (f) => real.list(f),
    requestDenySync: (id, at) => real.requestDenySync(id, at),
    ...over,
  };
}
