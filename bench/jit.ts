// Broker throughput against the local sandbox: full request -> approve -> claim cycles over HTTP
// (dynalite conditional writes included), cycles per second and the p99 latency of one cycle;
// then 200 concurrent claims of one approved request (the CLI's claim, idempotency key and
// retries included): how long until all have their answer, and how many needed a retry.
import { startSandbox } from "../jit/local-server";
import { BrokerClient } from "../jit/client";
import { claimWithRetries } from "../jit/claim-client";
import type { JitRequest } from "../jit/types";

export interface JitBenchResult {
  claims: ClaimsBenchResult;
  cycles: number;
  concurrency: number;
  cyclesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function benchJit(opts: { cycles?: number; concurrency?: number; claims?: number; runs?: number } = {}): Promise<JitBenchResult> {
  const cycles = opts.cycles ?? 300;
  const concurrency = opts.concurrency ?? 4;
  const sb = await startSandbox();
  try {
    const requester = new BrokerClient({ endpoint: sb.url, as: "dave" });
    const approver = new BrokerClient({ endpoint: sb.url, as: "bob" });
    const one = async (): Promise<number> => {
      const t = process.hrtime.bigint();
      const r = await requester.call<JitRequest>("POST", "/requests", { prefix: "models/bench/", actions: ["write"], minutes: 30, reason: "bench cycle" });
      await approver.call("POST", `/requests/${r.id}/approve`, {});
      await requester.call("POST", `/requests/${r.id}/claim`, {});
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    for (let i = 0; i < 20; i++) await one(); // warm-up
    const latencies: number[] = [];
    let next = 0;
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < cycles) latencies.push(await one());
      }),
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    latencies.sort((a, b) => a - b);
    const cycleResult = {
      cycles: latencies.length,
      concurrency,
      cyclesPerSecond: Math.round((latencies.length / seconds) * 10) / 10,
      p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
      p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
    };
    console.log(
      `jit broker (local sandbox, ${concurrency} clients): ${cycleResult.cyclesPerSecond} request->approve->claim cycles/s; one cycle p50 ${cycleResult.p50Ms} ms, p99 ${cycleResult.p99Ms} ms (${cycleResult.cycles} cycles)`,
    );
    const claims = await benchClaims(opts.claims ?? 200, opts.runs ?? 3);
    return { ...cycleResult, claims };
  } finally {
    await sb.close();
  }
}

export interface ClaimsBenchResult {
  concurrent: number;
  runs: number;
  /** Median over runs of the time until every claim had its answer. */
  medianMs: number;
  succeeded: number;
  failed: number;
  retried: number;
}

/** `concurrent` claims of one approved request at once, each as the CLI makes it; median of `runs` fresh sandboxes. */
export async function benchClaims(concurrent: number, runs: number): Promise<ClaimsBenchResult> {
  const times: number[] = [];
  let succeeded = 0;
  let failed = 0;
  let retried = 0;
  for (let run = 0; run < runs; run++) {
    const sb = await startSandbox();
    try {
      const requester = new BrokerClient({ endpoint: sb.url, as: "dave" });
      const approver = new BrokerClient({ endpoint: sb.url, as: "bob" });
      const r = await requester.call<JitRequest>("POST", "/requests", { prefix: "models/bench/", actions: ["write"], minutes: 30, reason: "bench claims" });
      await approver.call("POST", `/requests/${r.id}/approve`, {});
      let calls = 0;
      const counting = { call: <T>(...a: Parameters<BrokerClient["call"]>): Promise<T> => (calls++, requester.call<T>(...a)) };
      const t = process.hrtime.bigint();
      const out = await Promise.allSettled(Array.from({ length: concurrent }, () => claimWithRetries(counting, r.id)));
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      succeeded += out.filter((o) => o.status === "fulfilled").length;
      failed += out.filter((o) => o.status === "rejected").length;
      retried += calls - concurrent;
    } finally {
      await sb.close();
    }
  }
  times.sort((a, b) => a - b);
  const result: ClaimsBenchResult = { concurrent, runs, medianMs: Math.round(times[Math.floor(times.length / 2)]), succeeded, failed, retried };
  console.log(
    `jit broker (local sandbox): ${concurrent} concurrent claims of one request all answered in ${result.medianMs} ms (median of ${runs}); ${succeeded} succeeded, ${failed} failed, ${retried} client retries`,
  );
  return result;
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  benchJit().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
