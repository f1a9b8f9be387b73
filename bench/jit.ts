// Broker throughput against the local sandbox: full request -> approve -> claim cycles over HTTP
// (dynalite conditional writes included), cycles per second and the p99 latency of one cycle.
import { startSandbox } from "../jit/local-server";
import { BrokerClient } from "../jit/client";
import type { JitRequest } from "../jit/types";

export interface JitBenchResult {
  cycles: number;
  concurrency: number;
  cyclesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function benchJit(opts: { cycles?: number; concurrency?: number } = {}): Promise<JitBenchResult> {
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
    const result: JitBenchResult = {
      cycles: latencies.length,
      concurrency,
      cyclesPerSecond: Math.round((latencies.length / seconds) * 10) / 10,
      p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
      p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
    };
    console.log(
      `jit broker (local sandbox, ${result.concurrency} clients): ${result.cyclesPerSecond} request->approve->claim cycles/s; one cycle p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (${result.cycles} cycles)`,
    );
    return result;
  } finally {
    await sb.close();
  }
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  benchJit().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
