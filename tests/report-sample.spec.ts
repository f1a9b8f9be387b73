// The access report on the generated dev sample (samples/access-report/dev): every count and flag, the time range,
// malformed files, the broker-table check (dynalite), the S3 path (s3rver), and the exit status.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { startLocalDynamo } from "../jit/local-dynamo";
import { DynamoRequestStore } from "../jit/store";
import type { JitRequest } from "../jit/types";
import type { PlanResult } from "../plan/build";
import { accessReport } from "../report/cli";
import type { AccessReport } from "../report/types";
import { devNames, scenario, writeScenario } from "./support/access-sample";
import { tempDir } from "./support/model-dir";
import { planFor } from "./support/plans";
import { startLocalS3 } from "./support/s3-server";

const ROOT = path.resolve(__dirname, "..");
const SAMPLE = path.join(ROOT, "samples/access-report/dev");

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out.sort();
}

const counts = (r: AccessReport) =>
  Object.fromEntries(r.principals.map((p) => [p.label === "not in the plan" ? p.principal : p.label, p.prefixes]));

describe("access report: the generated dev sample", function () {
  this.timeout(180_000);
  let plan: PlanResult;
  let report: AccessReport;
  const errs: string[] = [];
  const run = (over: Partial<Parameters<typeof accessReport>[0]> = {}, sink: string[] = errs) => accessReport({ stack: "dev", logs: SAMPLE, plan, ...over }, (s) => sink.push(s));

  before(async () => {
    plan = await planFor("dev");
    report = await run();
  });

  it("the committed sample is what the generator writes today (no drift from the dev plan's names)", async () => {
    const dir = await tempDir("sample");
    await writeScenario(dir, scenario(await devNames(plan)));
    const fresh = (await walk(dir)).map((f) => path.relative(dir, f));
    const committed = (await walk(SAMPLE)).map((f) => path.relative(SAMPLE, f)).filter((f) => f !== "README.md");
    assert.deepEqual(committed, fresh);
    for (const f of fresh) {
      const a = await fs.readFile(path.join(dir, f));
      const b = await fs.readFile(path.join(SAMPLE, f));
      assert.equal(f.endsWith(".gz") ? gunzipSync(b).toString() : b.toString(), f.endsWith(".gz") ? gunzipSync(a).toString() : a.toString(), f);
    }
  });

  it("reads every file and counts each request once (the trail's copy wins over the access log's)", () => {
    assert.deepEqual(report.files, { read: 4, skipped: [] });
    assert.deepEqual(report.records, { cloudtrail: 8, accessLog: 28, counted: 29, outOfRange: 0 });
    assert.equal(errs.join(""), "");
  });

  it("counts reads, writes, deletes and denials per principal and prefix", () => {
    const z = { read: 0, write: 0, delete: 0, denied: 0 };
    assert.deepEqual(counts(report), {
      "consumer sagemaker-inference": { "models/llama/": { ...z, read: 6 } },
      "consumer ec2-batch": { "models/mistral/": { ...z, read: 4, denied: 1 } },
      "consumer eks-serving": { "models/llama/": { ...z, read: 3 }, "models/mistral/": { ...z, read: 2 } },
      "consumer eks-batch": {},
      "consumer partner-research": { "models/shared/": { ...z, read: 2 } },
      publisher: { "models/llama/": { ...z, write: 2 }, "models/mistral/": { ...z, write: 1 } },
      "CDN (CloudFront OAC)": { "models/llama/": { ...z, read: 5 } },
      "arn:aws:iam::111111111111:role/data-science-notebook": { "models/llama/": { ...z, read: 2 } },
      anonymous: { "models/llama/": { ...z, denied: 1 } },
    });
    assert.deepEqual(
      report.principals.filter((p) => !p.planned).map((p) => p.principal),
      ["arn:aws:iam::111111111111:role/data-science-notebook", "anonymous"],
    );
  });

  it("flags the out-of-band write, the denied write, the unknown reader and the anonymous attempt, and nothing else", () => {
    assert.equal(report.anomalies.total, 5);
    assert.deepEqual(report.anomalies.byReason, { "not-broker-session": 1, "not-planned": 4, "denied-write": 1, "broker-mismatch": 0 });
    assert.deepEqual(
      report.anomalies.items.map((a) => [a.requestId, a.reasons.join("+"), a.source]),
      [
        ["UNK0000", "not-planned", "access-log"],
        ["UNK0001", "not-planned", "access-log"],
        ["ANON00000001", "not-planned", "access-log"],
        ["OOB0000000000001", "not-broker-session", "cloudtrail"],
        ["DEN0000000000001", "not-planned+denied-write", "cloudtrail"],
      ],
    );
    const oob = report.anomalies.items.find((a) => a.requestId === "OOB0000000000001");
    assert.equal(oob?.sessionName, "hotfix");
    assert.equal(oob?.label, "publisher");
    assert.equal(report.anomalies.items.find((a) => a.requestId === "DEN0000000000001")?.label, "consumer ec2-batch");
  });

  it("lists grants with no use in the period as findings, not anomalies", () => {
    assert.deepEqual(
      report.unusedGrants.map((u) => `${u.label}: ${u.op} ${u.prefix}`),
      ["consumer eks-batch: read models/embeddings/", "publisher: delete models/", "CDN (CloudFront OAC): read models/mistral/"],
    );
  });

  it("lists elevated sessions with their broker request ids, source identities and S3 request ids", () => {
    assert.deepEqual(
      report.sessions.map((s) => [s.sessionName, s.jitRequestId, s.sourceIdentity, s.assumeRequestId, s.writes, s.deletes, s.requestIds.join(" "), s.broker]),
      [
        ["jit-r-0001", "r-0001", "alice", "STS-ASSUME-0001", 2, 0, "JIT0000000000001 JIT0000000000002", "unchecked"],
        ["hotfix", undefined, undefined, undefined, 1, 0, "OOB0000000000001", "unchecked"],
      ],
    );
  });

  it("keeps to the time range (from inclusive, to exclusive)", async () => {
    const r = await run({ from: "2026-11-30T11:00:00Z", to: "2026-11-30T12:00:00Z" });
    assert.equal(r.records.counted, 17);
    assert.equal(r.anomalies.total, 3);
    assert.deepEqual(r.sessions, []);
    assert.equal(counts(r)["consumer sagemaker-inference"]["models/llama/"].read, 3);
    await assert.rejects(run({ from: "yesterday" }), /--from: expected an ISO 8601 time/);
  });

  it("names each malformed file on one line, skips it whole and keeps the rest", async () => {
    const dir = await tempDir("malformed");
    await fs.cp(SAMPLE, dir, { recursive: true });
    const ct = path.join(dir, "AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/30");
    await fs.writeFile(path.join(ct, "bad-gzip.json.gz"), "this is not gzip");
    // A truncated delivery: its first record (a write) must not be counted.
    const full = JSON.stringify({ Records: [{ eventSource: "s3.amazonaws.com", eventName: "PutObject", eventTime: "2026-11-30T10:30:00Z", requestID: "TRUNC1", requestParameters: { bucketName: "acme-model-weights-dev", key: "models/x" }, userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111111111111:user/eve" } }, { eventName: "x" }] });
    await fs.writeFile(path.join(ct, "truncated.json.gz"), gzipSync(full.slice(0, full.length - 30)));
    await fs.writeFile(path.join(ct, "not-cloudtrail.json.gz"), gzipSync(JSON.stringify({ hello: "world" })));
    await fs.writeFile(path.join(dir, "access-logs", "garbage-log"), "<html>not a log</html>\n");
    const lines: string[] = [];
    const r = await run({ logs: dir }, lines);
    assert.equal(lines.length, 4, lines.join(""));
    for (const [file, why] of [
      ["bad-gzip.json.gz", /incorrect header check|not a CloudTrail/],
      ["truncated.json.gz", /ended in (mid-parsing|the middle of a token)/],
      ["not-cloudtrail.json.gz", /not a CloudTrail log file/],
      ["garbage-log", /not an S3 server access log line/],
    ] as const) {
      const line = lines.find((l) => l.includes(file));
      assert.ok(line, `no line names ${file}`);
      assert.match(line, why);
      assert.ok(line.endsWith("\n") && line.indexOf("\n") === line.length - 1, "one line");
    }
    assert.equal(r.files.read, 4);
    assert.equal(r.files.skipped.length, 4);
    assert.deepEqual(counts(r), counts(report));
    assert.equal(r.anomalies.total, report.anomalies.total);
  });

  it("checks elevated sessions against the broker's table when it can read it", async () => {
    const db = await startLocalDynamo("jit-requests-report");
    const env = { ...process.env };
    try {
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: "sandbox", AWS_SECRET_ACCESS_KEY: "sandbox" });
      const store = new DynamoRequestStore(db.client, db.table);
      const req = (id: string, requester: string): JitRequest => ({
        id,
        status: "APPROVED",
        requester,
        requesterPerson: `person:${requester}`,
        requesterArn: `arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_MLReleaseEngineers_abc/${requester}`,
        requesterPrincipalId: "AROAEXAMPLE:x",
        prefix: "models/llama/",
        actions: ["write"],
        minutes: 30,
        reason: "release v2",
        createdAt: "2026-11-30T09:50:00Z",
        pendingDeadline: "2026-11-30T10:50:00Z",
        approvalsRequired: 1,
        approvals: [],
        breakGlass: false,
        approvedAt: "2026-11-30T09:59:00Z",
        windowEnd: "2026-11-30T10:29:00Z",
        claims: 1,
        version: 2,
        history: [],
      });
      await store.create(req("r-0001", "alice"));
      const ok = await run({ brokerTable: db.table, endpoint: db.endpoint });
      assert.equal(ok.sessions[0].broker, "approved");
      assert.equal(ok.sessions[1].broker, "mismatch");
      assert.equal(ok.anomalies.byReason["broker-mismatch"], 0, "the hotfix session is already flagged write by write");

      // The same session under a request someone else made: the source identity does not match.
      const db2 = await startLocalDynamo("jit-requests-report-2");
      try {
        await new DynamoRequestStore(db2.client, db2.table).create(req("r-0001", "mallory"));
        const bad = await run({ brokerTable: db2.table, endpoint: db2.endpoint });
        assert.equal(bad.sessions[0].broker, "mismatch");
        assert.match(String(bad.sessions[0].brokerDetail), /source identity alice is not the requester mallory/);
        assert.equal(bad.anomalies.byReason["broker-mismatch"], 1);
        const none = await run({ brokerTable: "no-such-table-in-db2", endpoint: db2.endpoint }).catch((e: Error) => e);
        assert.ok(none instanceof Error, "an unreadable broker table fails the report instead of passing it");
      } finally {
        await db2.close();
      }
    } finally {
      process.env = env;
      await db.close();
    }
  });

  it("reads the same report from the stack's log buckets through S3 (s3rver on 127.0.0.1)", async () => {
    const audit = String(plan.plan.outputs.auditLogBucketName);
    const access = String(plan.plan.outputs.accessLogBucketName);
    const s3 = await startLocalS3([audit, access]);
    const env = { ...process.env };
    try {
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REQUEST_CHECKSUM_CALCULATION: "WHEN_REQUIRED", AWS_RESPONSE_CHECKSUM_VALIDATION: "WHEN_REQUIRED" });
      const client = s3.client();
      const { PutObjectCommand } = await import("@aws-sdk/client-s3");
      for (const f of await walk(SAMPLE)) {
        const key = path.relative(SAMPLE, f);
        if (key === "README.md") continue;
        await client.send(new PutObjectCommand({ Bucket: key.startsWith("AWSLogs/") ? audit : access, Key: key, Body: await fs.readFile(f) }));
      }
      const progress: string[] = [];
      const r = await accessReport({ stack: "dev", s3: true, endpoint: s3.endpoint, plan, progress: true }, (s) => progress.push(s));
      assert.deepEqual(counts(r), counts(report));
      assert.deepEqual(r.anomalies.byReason, report.anomalies.byReason);
      assert.equal(r.files.read, 4);
      assert.ok(progress.some((p) => p.includes("4/4 files")), progress.join(""));
    } finally {
      process.env = env;
      await s3.close();
    }
  });

  it("npm run access-report exits 1 with --fail-on anomalies, prints JSON with --json, writes --html", async () => {
    const dir = await tempDir("report-cli");
    const html = path.join(dir, "report.html");
    const r = spawnSync(process.execPath, ["-r", "./tools/register.js", "report/cli.ts", "--stack", "dev", "--logs", SAMPLE, "--json", "--html", html, "--fail-on", "anomalies"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 1, r.stderr);
    const json = JSON.parse(r.stdout) as AccessReport;
    assert.equal(json.anomalies.total, 5);
    assert.match(await fs.readFile(html, "utf8"), /^<!doctype html>/);
  });
});
