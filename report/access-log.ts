// S3 server access logs (https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html): one request per
// line, space-separated fields, "[time]" and "quoted" fields may hold spaces. Read line by line from a stream.
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { AccessEvent, Op } from "./types";

/** Field order of the documented format (later fields AWS may append are ignored). */
const FIELDS = ["owner", "bucket", "time", "ip", "requester", "requestId", "operation", "key", "requestUri", "status", "errorCode"] as const;

const TOKEN = /\[[^\]]*\]|"(?:[^"\\]|\\.)*"|\S+/g;

export interface AccessLogLine {
  bucket: string;
  time: string;
  requester: string;
  requestId: string;
  operation: string;
  key: string;
  status: number;
  errorCode: string;
}

const MONTHS: Record<string, string> = { Jan: "01", Feb: "02", Mar: "03", Apr: "04", May: "05", Jun: "06", Jul: "07", Aug: "08", Sep: "09", Oct: "10", Nov: "11", Dec: "12" };

/** `[06/Feb/2019:00:00:38 +0000]` -> `2019-02-06T00:00:38Z` (S3 writes UTC). */
function isoTime(t: string): string | undefined {
  const m = /^\[(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\]$/.exec(t);
  if (!m || !MONTHS[m[2]]) return undefined;
  const local = Date.parse(`${m[3]}-${MONTHS[m[2]]}-${m[1]}T${m[4]}:${m[5]}:${m[6]}${m[7].slice(0, 3)}:${m[7].slice(3)}`);
  return Number.isNaN(local) ? undefined : new Date(local).toISOString().replace(".000Z", "Z");
}

/** One line, or undefined when it is not an access-log line. */
export function parseAccessLogLine(line: string): AccessLogLine | undefined {
  const tokens = line.match(TOKEN);
  if (!tokens || tokens.length < FIELDS.length) return undefined;
  const f = Object.fromEntries(FIELDS.map((name, i) => [name, tokens[i]])) as Record<(typeof FIELDS)[number], string>;
  const time = isoTime(f.time);
  const status = Number(f.status);
  if (!time || !Number.isInteger(status) || !/^[A-Z]+\./.test(f.operation)) return undefined;
  let key = f.key === "-" ? "" : f.key;
  try {
    key = decodeURIComponent(key.replace(/\+/g, " "));
  } catch {
    // An undecodable key stays as logged.
  }
  return { bucket: f.bucket, time, requester: f.requester, requestId: f.requestId, operation: f.operation, key, status, errorCode: f.errorCode };
}

const OPS: Record<string, Op> = {
  "REST.GET.OBJECT": "read",
  "REST.HEAD.OBJECT": "read",
  "REST.PUT.OBJECT": "write",
  "REST.COPY.OBJECT": "write",
  "REST.PUT.PART": "write",
  "REST.POST.UPLOADS": "write",
  "REST.POST.UPLOAD": "write",
  "REST.DELETE.OBJECT": "delete",
  "REST.POST.MULTI_OBJECT_DELETE": "delete",
};

/**
 * The report's view of a line on the model bucket. The requester of an assumed role is its session ARN
 * (arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION), without the role's path: `roleArnByName` restores it.
 */
export function fromAccessLog(l: AccessLogLine, modelBucket: string, roleArnByName: (account: string, name: string) => string): AccessEvent | undefined {
  if (l.bucket !== modelBucket) return undefined;
  const op = OPS[l.operation];
  if (!op) return undefined;
  const denied = l.status === 403;
  // 404s, 412s and the like changed nothing and refused nobody.
  if (l.status >= 300 && !denied) return undefined;
  let principal = l.requester;
  let sessionName: string | undefined;
  const assumed = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(l.requester);
  if (assumed) {
    principal = roleArnByName(assumed[2], assumed[3]);
    sessionName = assumed[4];
  } else if (l.requester === "-") {
    principal = "anonymous";
  } else if (l.requester.startsWith("svc:")) {
    principal = l.requester.slice(4);
  }
  return { kind: "access", time: l.time, principal, sessionName, op, key: l.key, denied, requestId: l.requestId, source: "access-log" };
}

/** Lines of a stream, one at a time (readline keeps one line, not the file). */
export function lines(input: Readable): AsyncIterable<string> {
  return createInterface({ input, crlfDelay: Infinity });
}
