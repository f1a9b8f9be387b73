// The readers alone: a CloudTrail file streams (never more than a chunk's worth of records held at once, however
// long the file), identities normalize as CloudTrail writes them, and access-log lines parse per the documented format.
import { strict as assert } from "node:assert";
import { createReadStream } from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { cloudTrailRecords, fromCloudTrail, principalOf, type ReaderStats } from "../report/cloudtrail";
import { fromAccessLog, parseAccessLogLine } from "../report/access-log";
import { tempDir } from "./support/model-dir";
import { FIXED_NAMES, writeLargeCloudTrail } from "./support/access-sample";

const names = FIXED_NAMES;

/** At most this many records are parsed and not yet handed on at any moment (one 64 KiB chunk of ~1 KB records). */
const BOUND = 128;

describe("access report: readers", function () {
  this.timeout(120_000);

  it(`streams a 30,000-record CloudTrail file holding at most ${BOUND} records at once`, async () => {
    const file = path.join(await tempDir("big-trail"), "big.json.gz");
    await writeLargeCloudTrail(file, names, 30_000);
    const stats: ReaderStats = { maxBuffered: 0 };
    let n = 0;
    let writes = 0;
    for await (const r of cloudTrailRecords(createReadStream(file), { gzip: true, stats })) {
      n++;
      const e = fromCloudTrail(r, names.bucket);
      if (e?.kind === "access" && e.op === "write") writes++;
    }
    assert.equal(n, 30_000);
    assert.equal(writes, 10_000);
    assert.ok(stats.maxBuffered > 0 && stats.maxBuffered <= BOUND, `held ${stats.maxBuffered} records at once`);
  });

  it("an empty delivery is valid; a non-object record is not", async () => {
    const all = async (s: string) => {
      const out = [];
      for await (const r of cloudTrailRecords(Readable.from([gzipSync(s)]), { gzip: true })) out.push(r);
      return out;
    };
    assert.deepEqual(await all('{"Records":[]}'), []);
    await assert.rejects(all('{"Records":[1]}'), /Records\[0\] is not an object/);
    await assert.rejects(all('{"Recs":[]}'), /not a CloudTrail log file/);
  });

  it("names the role (with its path) for assumed roles, the service for AWS services, anonymous for the unauthenticated", () => {
    assert.deepEqual(
      principalOf({ type: "AssumedRole", arn: "arn:aws:sts::111111111111:assumed-role/pub/jit-r-1", sessionContext: { sessionIssuer: { arn: "arn:aws:iam::111111111111:role/model-vault/pub" }, sourceIdentity: "alice" } }),
      { principal: "arn:aws:iam::111111111111:role/model-vault/pub", sessionName: "jit-r-1", sourceIdentity: "alice" },
    );
    assert.deepEqual(principalOf({ type: "AWSService", invokedBy: "cloudfront.amazonaws.com" }), { principal: "cloudfront.amazonaws.com" });
    assert.deepEqual(principalOf({ type: "AWSAccount", accountId: "ANONYMOUS_PRINCIPAL", principalId: "" }), { principal: "anonymous" });
    assert.deepEqual(principalOf({ type: "IAMUser", arn: "arn:aws:iam::111111111111:user/bob" }), { principal: "arn:aws:iam::111111111111:user/bob" });
  });

  it("parses the documented access-log line and maps an assumed-role requester back to its role ARN", () => {
    // The example line of https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html, requester an assumed role.
    const line =
      '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be acme-model-weights-dev [06/Feb/2019:00:00:38 +0000] 192.0.2.3 arn:aws:sts::111111111111:assumed-role/sm/SageMaker 3E57427F3EXAMPLE REST.GET.OBJECT models/llama/a%20b.safetensors "GET /models/llama/a%20b.safetensors HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader acme-model-weights-dev.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes';
    const l = parseAccessLogLine(line);
    assert.ok(l);
    assert.equal(l.time, "2019-02-06T00:00:38Z");
    assert.equal(l.key, "models/llama/a b.safetensors");
    const e = fromAccessLog(l, "acme-model-weights-dev", (_a, n) => (n === "sm" ? names.consumers["sagemaker-inference"] : `arn:aws:iam::${_a}:role/${n}`));
    assert.deepEqual(
      { principal: e?.principal, session: e?.sessionName, op: e?.op, denied: e?.denied, id: e?.requestId },
      { principal: names.consumers["sagemaker-inference"], session: "SageMaker", op: "read", denied: false, id: "3E57427F3EXAMPLE" },
    );
    assert.equal(parseAccessLogLine("<html>"), undefined);
    assert.equal(fromAccessLog(l, "another-bucket", () => ""), undefined);
  });
});
