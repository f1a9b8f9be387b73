// One error type for every refusal: a stable code, an HTTP status and a one-line message,
// so the handlers, the HTTP layer and the CLI all report the same thing.

export type JitErrorCode =
  | "bad-request"
  | "too-large"
  | "unauthenticated"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "expired"
  | "unavailable"
  | "internal";

const STATUS: Record<JitErrorCode, number> = {
  "bad-request": 400,
  "too-large": 413,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  expired: 410,
  // Retryable: contention past the retry bound, or a dependency that failed before anything
  // changed (or in a way a retry converges from).
  unavailable: 503,
  internal: 500,
};

export class JitError extends Error {
  readonly status: number;
  constructor(
    readonly code: JitErrorCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}
