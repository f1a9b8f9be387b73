// What a claim records and how retries are bounded. Pure: no AWS import.
import { randomBytes } from "crypto";
import { JitError } from "./errors";
import type { HistoryEntry, JitRequest, Status } from "./types";

/** A claim's history entry names the idempotency key it was made under: one entry per key. */
export type ClaimEntry = HistoryEntry & { idempotencyKey: string };

/** The stored request also carries the keys of the claims recorded on it (a DynamoDB string set). */
export type ClaimedRequest = JitRequest & { claimKeys?: string[] };

/** Client-chosen, opaque; long enough that two invocations never pick the same one by chance. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,64}$/;

export function newIdempotencyKey(): string {
  return randomBytes(16).toString("base64url");
}

export function claimKeysOf(r: JitRequest): readonly string[] {
  return (r as ClaimedRequest).claimKeys ?? [];
}

/** One conditional write: record this claim if the request is still `from` with this window, open at `now`, and the key is new. */
export interface ClaimCommit {
  id: string;
  from: Status;
  windowEnd: string;
  now: string;
  key: string;
  entry: ClaimEntry;
}

/** The request after a committed claim: what the store's conditional write produces. */
export function applyClaim(req: JitRequest, c: ClaimCommit): ClaimedRequest {
  return { ...req, status: "ACTIVE", claims: req.claims + 1, claimKeys: [...claimKeysOf(req), c.key].sort(), history: [...req.history, c.entry] };
}

/**
 * Bounded retries with full jitter (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/):
 * a writer that keeps losing gives up with a retryable 503 after `attempts` tries or once its
 * sleeps would pass `budgetMs`, instead of spinning for tens of seconds. The budget counts the
 * waiting this adds, not the store's own latency (bounded by the SDK's timeouts).
 */
export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  capMs: number;
  budgetMs: number;
}

export const RETRY: RetryPolicy = { attempts: 8, baseMs: 4, capMs: 120, budgetMs: 500 };

export class Backoff {
  private attempt = 0;
  private slept = 0;
  constructor(
    private readonly what: string,
    private readonly policy: RetryPolicy = RETRY,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly random: () => number = Math.random,
  ) {}

  /** Waits before the next attempt, or throws the clear retryable error when the bound is reached. */
  async next(): Promise<void> {
    this.attempt++;
    const wait = Math.floor(this.random() * Math.min(this.policy.capMs, this.policy.baseMs * 2 ** this.attempt));
    if (this.attempt >= this.policy.attempts || this.slept + wait > this.policy.budgetMs)
      throw new JitError("unavailable", `${this.what}: too much contention after ${this.attempt} attempts, try again`);
    this.slept += wait;
    await this.sleep(wait);
  }
}
