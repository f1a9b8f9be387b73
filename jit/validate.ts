// Request bodies as received over HTTP: strict shapes (unknown fields refused), bounded sizes,
// prefixes that cannot escape (no wildcard, no '..'). Failures are one-line 400s.
import { z } from "zod";
import { JIT_ACTIONS, MAX_PREFIX_LENGTH, MAX_WINDOW_MINUTES } from "../config/jit";
import { JitError } from "./errors";
import { IDEMPOTENCY_KEY } from "./claims";

export const MAX_BODY_BYTES = 8 * 1024;

const reason = z.string().trim().min(3, "a reason of at least 3 characters is required").max(500);

export const newRequestSchema = z.strictObject({
  prefix: z
    .string()
    .max(MAX_PREFIX_LENGTH)
    .refine((p) => !/[*?]/.test(p), "prefix must not contain wildcards")
    .refine((p) => !p.split("/").includes(".."), "prefix must not contain '..'")
    .refine((p) => /^[A-Za-z0-9][A-Za-z0-9._\-/]*\/$/.test(p), "prefix must be a key prefix like models/llama/ (ending in '/', no leading '/')"),
  actions: z.array(z.enum(JIT_ACTIONS)).min(1).max(2),
  minutes: z.number().int().min(1).max(MAX_WINDOW_MINUTES, `minutes must be at most ${MAX_WINDOW_MINUTES}`),
  reason,
  ticket: z.string().regex(/^[A-Za-z0-9._\-#]{1,64}$/, "ticket must be 1-64 characters [A-Za-z0-9._-#]").optional(),
});
export type NewRequest = z.infer<typeof newRequestSchema>;

export const approveSchema = z.strictObject({ reason: reason.optional() });
export const denySchema = z.strictObject({ reason });
export const revokeSchema = z.strictObject({ reason: reason.optional() });
export const emptySchema = z.strictObject({});
/** A client sends one key per claim it means (the CLI: one per invocation) and reuses it on retries. */
export const claimSchema = z.strictObject({
  idempotencyKey: z.string().regex(IDEMPOTENCY_KEY, "idempotencyKey must be 16-64 characters [A-Za-z0-9_-]").optional(),
});

export function parseBody<T>(schema: z.ZodType<T>, body: string | undefined): T {
  if (body !== undefined && Buffer.byteLength(body) > MAX_BODY_BYTES)
    throw new JitError("too-large", `request body over ${MAX_BODY_BYTES} bytes`);
  let json: unknown = {};
  if (body !== undefined && body.trim() !== "") {
    try {
      json = JSON.parse(body);
    } catch {
      throw new JitError("bad-request", "request body is not valid JSON");
    }
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    const where = i.path.length ? `${i.path.join(".")}: ` : "";
    const msg = i.code === "unrecognized_keys" ? `unknown field(s) ${i.keys.join(", ")}` : i.message;
    throw new JitError("bad-request", `${where}${msg}`);
  }
  return r.data;
}

const ID = /^[a-z0-9]{8,32}$/;
export function parseId(id: string): string {
  if (!ID.test(id)) throw new JitError("bad-request", `'${id}' is not a request id`);
  return id;
}
