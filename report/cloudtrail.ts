// CloudTrail log files (`.json.gz`, one JSON object `{"Records":[...]}` per file) read as a stream: gunzip,
// then a streaming JSON parse that emits each element of Records and forgets it, so a file of any size needs
// memory for one record at a time (plus one chunk). @streamparser/json (MIT) does the parsing.
import { createGunzip } from "node:zlib";
import type { Readable } from "node:stream";
import { JSONParser } from "@streamparser/json";
import type { LogEvent, Op } from "./types";
import { OBJECT_WRITES } from "../monitoring/patterns";

type Rec = Record<string, unknown>;

/** Counts of what a reader held at once: the memory promise, observable by tests. */
export interface ReaderStats {
  maxBuffered: number;
}

/** CloudTrail delivers `{"Records":[...]}`: a file that does not start so is not a CloudTrail log file. */
const CLOUDTRAIL_HEAD = /^\s*\{\s*"Records"\s*:\s*\[/;

/**
 * Yields each record of a CloudTrail file. Throws (saying what went wrong) on bad gzip, bad JSON or a file that is
 * not a CloudTrail file; the caller names the file and skips it.
 */
export async function* cloudTrailRecords(input: Readable, opts: { gzip: boolean; stats?: ReaderStats }): AsyncGenerator<Rec> {
  const parser = new JSONParser({ paths: ["$.Records.*"], keepStack: false });
  let pending: Rec[] = [];
  let failure: Error | undefined;
  parser.onValue = ({ value, key }) => {
    if (typeof key !== "number") return;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      failure ??= new Error(`Records[${key}] is not an object`);
      return;
    }
    pending.push(value as Rec);
  };
  parser.onError = (e) => {
    failure ??= e;
  };
  const stream = opts.gzip ? input.pipe(createGunzip()) : input;
  // pipe() does not forward the source's errors: an unreadable source must fail this file, not hang it.
  if (opts.gzip) input.on("error", (e) => stream.destroy(e));
  let head = "";
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (head.length < 64) {
      head += chunk.subarray(0, 64).toString("utf8");
      if (head.length >= 16 && !CLOUDTRAIL_HEAD.test(head)) throw new Error(`not a CloudTrail log file (expected {"Records":[...]})`);
    }
    parser.write(chunk);
    if (failure) throw failure;
    if (opts.stats) opts.stats.maxBuffered = Math.max(opts.stats.maxBuffered, pending.length);
    const out = pending;
    pending = [];
    for (const r of out) yield r;
  }
  if (!CLOUDTRAIL_HEAD.test(head)) throw new Error(head ? `not a CloudTrail log file (expected {"Records":[...]})` : "empty file");
  if (!parser.isEnded) parser.end();
  if (failure) throw failure;
  for (const r of pending) yield r;
}

const READS = new Set(["GetObject", "HeadObject", "GetObjectAttributes", "SelectObjectContent", "GetObjectTorrent"]);
const DELETES = new Set(["DeleteObject", "DeleteObjects"]);
const WRITES = new Set(OBJECT_WRITES.filter((n) => !DELETES.has(n)));

function opOf(eventName: string): Op | undefined {
  if (READS.has(eventName)) return "read";
  if (DELETES.has(eventName)) return "delete";
  if (WRITES.has(eventName)) return "write";
  return undefined;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Who made a CloudTrail request: the role (not the session) for assumed roles, the service for AWS services. */
export function principalOf(identity: Rec | undefined): { principal: string; sessionName?: string; sourceIdentity?: string } {
  if (!identity) return { principal: "unknown" };
  const type = identity.type;
  if (type === "AssumedRole") {
    const ctx = (identity.sessionContext ?? {}) as Rec;
    const issuer = (ctx.sessionIssuer ?? {}) as Rec;
    const arn = str(identity.arn) ?? "";
    return { principal: str(issuer.arn) ?? arn, sessionName: arn.split("/").pop(), sourceIdentity: str(ctx.sourceIdentity) };
  }
  if (type === "AWSService") return { principal: str(identity.invokedBy) ?? "aws-service" };
  if (type === "AWSAccount" && identity.accountId === "ANONYMOUS_PRINCIPAL") return { principal: "anonymous" };
  if (type === "AWSAccount") return { principal: `account:${str(identity.accountId) ?? "?"}` };
  return { principal: str(identity.arn) ?? `${String(type)}:${str(identity.principalId) ?? "?"}` };
}

/** The report's view of a CloudTrail record on the model bucket (or an AssumeRole); undefined for the rest. */
export function fromCloudTrail(r: Rec, modelBucket: string): LogEvent | undefined {
  const eventName = str(r.eventName) ?? "";
  const params = (r.requestParameters ?? {}) as Rec;
  const time = str(r.eventTime) ?? "";
  const requestId = str(r.requestID) ?? "";
  const errorCode = str(r.errorCode);
  const denied = errorCode !== undefined && errorCode.startsWith("AccessDenied");
  // Other errors (NoSuchKey, a precondition) did not touch anything and are not refusals: not counted.
  if (errorCode !== undefined && !denied) return undefined;
  if (r.eventSource === "sts.amazonaws.com" && eventName === "AssumeRole") {
    return {
      kind: "assume",
      time,
      roleArn: str(params.roleArn) ?? "",
      sessionName: str(params.roleSessionName) ?? "",
      sourceIdentity: str(params.sourceIdentity),
      requestId,
      by: principalOf(r.userIdentity as Rec).principal,
      denied,
    };
  }
  if (r.eventSource !== "s3.amazonaws.com" || params.bucketName !== modelBucket) return undefined;
  const op = opOf(eventName);
  if (!op) return undefined;
  const who = principalOf(r.userIdentity as Rec);
  return { kind: "access", time, ...who, op, key: str(params.key) ?? "", denied, requestId, source: "cloudtrail" };
}
