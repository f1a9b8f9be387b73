// The attacker's side of "a person is an authenticated principal": forged and foreign principals
// at the real function URL handler over dynalite, one person posing as two, and config entries
// that would let a caller pick their own identity.
import { strict as assert } from "assert";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { handler, type FunctionUrlEvent } from "../jit/lambda/api";
import { Broker } from "../jit/handlers";
import { startLocalDynamo, type LocalDynamo } from "../jit/local-dynamo";
import { DynamoRequestStore } from "../jit/store";
import { MemoryNotifier, SandboxIssuer, TimerScheduler } from "../jit/sandbox-adapters";
import { checkJitIdentity, resolveJitConfig, JitConfigError, type JitConfig } from "../config/jit";
import { ConfigError, loadStackConfig } from "../config";
import { buildPlan } from "../plan/build";
import { readStackConfig } from "../plan/stackFiles";
import { serially } from "./support/plans";
import { runCli, runningSandboxes, type CliIo } from "../jit/cli-main";

const ACCT = "111111111111";
const target = { elevatedRoleArn: `arn:aws:iam::${ACCT}:role/model-vault-elevated`, bucketName: "mv-models", region: "us-east-1", accountId: ACCT };

/** A principal as the function URL's IAM authorizer reports it: ARN and unique id. */
interface Principal {
  arn: string;
  id: string;
}
const roleId = (role: string): string => `AROA${(role.toUpperCase().replace(/[^A-Z0-9]/g, "") + "Q".repeat(17)).slice(0, 17)}`;
/** An IAM Identity Center user signed in under a permission set: Identity Center names the session. */
const sso = (permissionSet: string, user: string): Principal => ({
  arn: `arn:aws:sts::${ACCT}:assumed-role/AWSReservedSSO_${permissionSet}_0123456789abcdef/${user}`,
  id: `${roleId(`sso${permissionSet}`)}:${user}`,
});
/** A session of an ordinary role: the session name is whatever the caller passed to AssumeRole. */
const session = (role: string, name: string, account = ACCT): Principal => ({ arn: `arn:aws:sts::${account}:assumed-role/${role}/${name}`, id: `${roleId(role)}:${name}` });
const user = (name: string, uid = "AIDAEXAMPLEUSER0001"): Principal => ({ arn: `arn:aws:iam::${ACCT}:user/${name}`, id: uid });

const SSO_RELEASE = `arn:aws:sts::${ACCT}:assumed-role/AWSReservedSSO_MLReleaseEngineers_*/*`;
const SSO_LEADS = `arn:aws:sts::${ACCT}:assumed-role/AWSReservedSSO_MLLeads_*/*`;

function event(method: string, path: string, body: unknown, who?: Partial<Principal> & { accountId?: string }): FunctionUrlEvent {
  const iam = who ? { ...(who.arn ? { userArn: who.arn } : {}), ...(who.id ? { userId: who.id } : {}), accountId: who.accountId ?? who.arn?.split(":")[4] } : undefined;
  return {
    rawPath: path,
    body: body === undefined ? undefined : JSON.stringify(body),
    requestContext: { http: { method }, ...(iam ? { authorizer: { iam } } : {}) },
  } as FunctionUrlEvent;
}

describe("jit identity: a person is an authenticated principal", function () {
  let db: LocalDynamo;
  let seq = 0;
  before(async () => {
    db = await startLocalDynamo();
  });
  after(async () => db.close());

  function broker(config: JitConfig): Broker {
    return new Broker({
      config,
      store: new DynamoRequestStore(db.client, db.table),
      target,
      issuer: new SandboxIssuer(),
      notifier: new MemoryNotifier(),
      scheduler: new TimerScheduler(),
      newId: () => `idn${String(++seq).padStart(8, "0")}`,
      log: () => undefined,
    });
  }
  async function call(b: Broker, who: Principal | Partial<Principal> & { accountId?: string }, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const r = await handler(event(method, path, body ?? (method === "POST" ? {} : undefined), who), b);
    return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> };
  }
  const ask = { prefix: "models/llama/", actions: ["write"], minutes: 20, reason: "publish llama 3" };
  async function approvedFor(b: Broker, requester: Principal, approver: Principal): Promise<string> {
    const r = await call(b, requester, "POST", "/requests", ask);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const id = String(r.body.id);
    const a = await call(b, approver, "POST", `/requests/${id}/approve`);
    assert.equal(a.body.status, "APPROVED", JSON.stringify(a.body));
    return id;
  }

  // A dev config people copy: Identity Center permission sets, plus the warned legacy forms an
  // attacker can exploit (a shared role's sessions and IAM users).
  const devCfg = (): JitConfig =>
    resolveJitConfig(
      {
        enabled: true,
        requesters: [SSO_RELEASE, `arn:aws:sts::${ACCT}:assumed-role/ml-release-engineers/*`, `arn:aws:iam::${ACCT}:user/*`],
        approvers: [SSO_LEADS, `arn:aws:sts::${ACCT}:assumed-role/ml-leads/*`],
        approvalsRequired: 1,
        actions: ["write"],
      },
      "dev",
    );

  describe("claim: only the requester's own principal", () => {
    const dave = sso("MLReleaseEngineers", "dave");
    const alice = sso("MLLeads", "alice");

    for (const [what, attacker] of [
      ["another role's session named dave (a requester role)", session("ml-release-engineers", "dave")],
      ["a session named dave of an unrelated role", session("some-ci-role", "dave")],
      ["an IAM user named dave", user("dave")],
      ["dave's session name under an SSO-shaped role of another account", { ...sso("MLReleaseEngineers", "dave"), arn: sso("MLReleaseEngineers", "dave").arn.replace(ACCT, "999999999999") }],
    ] as const) {
      it(`refuses ${what} claiming dave's approved request`, async () => {
        const b = broker(devCfg());
        const id = await approvedFor(b, dave, alice);
        const stolen = await call(b, attacker, "POST", `/requests/${id}/claim`);
        assert.equal(stolen.status, 403, JSON.stringify(stolen.body));
        const fresh = await call(b, alice, "GET", `/requests/${id}`);
        assert.equal(fresh.body.status, "APPROVED", "nothing was recorded for the attacker");
        assert.equal((fresh.body.claims as number) ?? 0, 0);
        const own = await call(b, dave, "POST", `/requests/${id}/claim`);
        assert.equal(own.status, 200, JSON.stringify(own.body));
        assert.equal((own.body.assumeRole as { SourceIdentity: string }).SourceIdentity, "dave");
      });
    }

    it("refuses dave's own person claiming through another principal (another permission set)", async () => {
      const b = broker(
        resolveJitConfig({ enabled: true, requesters: [SSO_RELEASE, `arn:aws:sts::${ACCT}:assumed-role/AWSReservedSSO_MLAdmins_*/*`], approvers: [SSO_LEADS] }, "dev"),
      );
      const id = await approvedFor(b, dave, alice);
      const other = await call(b, sso("MLAdmins", "dave"), "POST", `/requests/${id}/claim`);
      assert.equal(other.status, 403, JSON.stringify(other.body));
      assert.match(String(other.body.message), /principal/);
    });

    it("re-checks the requester patterns at claim time: a requester removed from the config cannot claim", async () => {
      const id = await approvedFor(broker(devCfg()), dave, alice);
      const narrowed = broker(resolveJitConfig({ enabled: true, requesters: [`arn:aws:iam::${ACCT}:user/*`], approvers: [SSO_LEADS] }, "dev"));
      const r = await call(narrowed, dave, "POST", `/requests/${id}/claim`);
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.match(String(r.body.message), /no longer a requester/);
    });

    it("refuses a same-named foreign principal revoking as the requester", async () => {
      const b = broker(devCfg());
      const id = await approvedFor(b, dave, alice);
      const r = await call(b, session("some-ci-role", "dave"), "POST", `/requests/${id}/revoke`);
      assert.equal(r.status, 403, JSON.stringify(r.body));
    });
  });

  describe("approvals count persons, not names", () => {
    it("one person approving twice under two session names of a shared role counts once", async () => {
      const b = broker(resolveJitConfig({ enabled: true, requesters: [SSO_RELEASE], approvers: [SSO_LEADS, `arn:aws:sts::${ACCT}:assumed-role/ml-leads/*`], approvalsRequired: 2 }, "dev"));
      const r = await call(b, sso("MLReleaseEngineers", "erin"), "POST", "/requests", ask);
      const id = String(r.body.id);
      assert.equal((await call(b, session("ml-leads", "bob"), "POST", `/requests/${id}/approve`)).body.status, "PENDING");
      const again = await call(b, session("ml-leads", "bob-alt"), "POST", `/requests/${id}/approve`);
      assert.equal(again.status, 409, JSON.stringify(again.body));
      assert.match(String(again.body.message), /already approved/);
      const fresh = await call(b, sso("MLLeads", "alice"), "GET", `/requests/${id}`);
      assert.equal(fresh.body.status, "PENDING");
    });

    it("a mapped person cannot approve their own request through their other role (ml-leads/dave-alt)", async () => {
      const b = broker(
        resolveJitConfig(
          {
            enabled: true,
            people: [{ name: "dave", principals: [`arn:aws:iam::${ACCT}:role/dave-release`, `arn:aws:iam::${ACCT}:role/dave-lead`] }],
            requesters: [`arn:aws:sts::${ACCT}:assumed-role/dave-release/*`],
            approvers: [`arn:aws:sts::${ACCT}:assumed-role/dave-lead/*`, SSO_LEADS],
          },
          "prod",
        ),
      );
      const r = await call(b, session("dave-release", "dave"), "POST", "/requests", { ...ask, ticket: "OPS-1" });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const self = await call(b, session("dave-lead", "dave-alt"), "POST", `/requests/${String(r.body.id)}/approve`);
      assert.equal(self.status, 403, JSON.stringify(self.body));
      assert.match(String(self.body.message), /no self-approval/);
    });

    it("an Identity Center user cannot approve their own request under another permission set", async () => {
      const b = broker(resolveJitConfig({ enabled: true, requesters: [SSO_RELEASE], approvers: [SSO_LEADS] }, "dev"));
      const r = await call(b, sso("MLReleaseEngineers", "dave"), "POST", "/requests", ask);
      const self = await call(b, sso("MLLeads", "dave"), "POST", `/requests/${String(r.body.id)}/approve`);
      assert.equal(self.status, 403, JSON.stringify(self.body));
    });
  });

  describe("the function URL handler trusts only a consistent authenticated principal", () => {
    const dave = sso("MLReleaseEngineers", "dave");
    for (const [what, who, status] of [
      ["an ARN without the principal id", { arn: dave.arn }, 401],
      ["a principal id naming another session than the ARN", { arn: dave.arn, id: `${dave.id.split(":")[0]}:eve` }, 403],
      ["a user id on a role session", { arn: dave.arn, id: "AIDAEXAMPLEUSER0001" }, 403],
      ["a role id on an IAM user", { arn: user("dave").arn, id: dave.id }, 403],
      ["an account id that is not the ARN's", { ...dave, accountId: "999999999999" }, 403],
      ["a principal of another account", session("AWSReservedSSO_MLReleaseEngineers_0123456789abcdef", "dave", "999999999999"), 403],
    ] as const) {
      it(`refuses ${what}`, async () => {
        const b = broker(devCfg());
        const r = await call(b, who, "POST", "/requests", ask);
        assert.equal(r.status, status, JSON.stringify(r.body));
      });
    }
  });
});

describe("jit identity: config entries that let a caller choose their name", () => {
  const prod = (over: Record<string, unknown>): JitConfig =>
    resolveJitConfig({ enabled: true, requesters: [SSO_RELEASE], approvers: [SSO_LEADS], ...over }, "prod");
  const fails = (fn: () => unknown, ...res: RegExp[]): void =>
    assert.throws(fn, (e: unknown) => e instanceof JitConfigError && res.every((re) => re.test(e.message)) ? true : assert.fail(String(e)));

  it("refuses the same approver twice (it would count as two approvals)", () => {
    const alice = `arn:aws:sts::${ACCT}:assumed-role/AWSReservedSSO_MLLeads_0123456789abcdef/alice`;
    fails(() => prod({ approvers: [alice, alice], approvalsRequired: 2 }), /jit\.approvers\[1\]: .*duplicate of jit\.approvers\[0\]/);
    fails(() => resolveJitConfig({ enabled: true, requesters: [SSO_RELEASE], approvers: ["bob", "bob"] }, "dev"), /jit\.approvers\[1\]: .*duplicate/);
  });

  it("refuses approvers that cannot reach approvalsRequired distinct persons (one person under two permission sets)", () => {
    const a1 = `arn:aws:sts::${ACCT}:assumed-role/AWSReservedSSO_MLLeads_0123456789abcdef/alice`;
    const a2 = `arn:aws:sts::${ACCT}:assumed-role/AWSReservedSSO_MLAdmins_0123456789abcdef/alice`;
    fails(() => prod({ approvers: [a1, a2], approvalsRequired: 2 }), /jit\.approvers\[1\]: .*same person/);
    fails(() => resolveJitConfig({ enabled: true, requesters: [SSO_RELEASE], approvers: [`arn:aws:sts::${ACCT}:assumed-role/ml-leads/*`], approvalsRequired: 2 }, "dev"), /jit\.approvalsRequired: .*2 distinct persons/);
  });

  it("refuses in prod every entry that lets a caller choose their name, naming each key path, all at once", () => {
    fails(
      () => prod({ approvers: ["bob", `arn:aws:sts::${ACCT}:assumed-role/ml-leads/*`, SSO_LEADS], breakGlass: ["*"], requesters: [`arn:aws:sts::${ACCT}:assumed-role/ml-release-engineers/dave`] }),
      /jit\.approvers\[0\]: /,
      /jit\.approvers\[1\]: .*ml-leads/,
      /jit\.breakGlass\[0\]: /,
      /jit\.requesters\[0\]: .*session name/,
    );
  });

  it("accepts Identity Center patterns, IAM users and mapped people in prod", () => {
    const cfg = prod({
      people: [{ name: "oncall-dave", principals: [`arn:aws:iam::${ACCT}:role/dave-breakglass`] }],
      approvers: [SSO_LEADS, `arn:aws:iam::${ACCT}:user/carol`],
      breakGlass: ["person:oncall-dave"],
    });
    assert.equal(cfg.approvalsRequired, 2);
  });

  it("validates jit.people: exact role/user ARNs, one person per principal, no Identity Center role, known person: entries", () => {
    fails(
      () =>
        prod({
          people: [
            { name: "dave", principals: [`arn:aws:iam::${ACCT}:role/dave-*`, `arn:aws:iam::${ACCT}:role/path/shared`] },
            { name: "erin", principals: [`arn:aws:iam::${ACCT}:role/other/shared`, `arn:aws:iam::${ACCT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_MLLeads_0123456789abcdef`] },
            { name: "dave", principals: [`arn:aws:iam::${ACCT}:user/dave`] },
          ],
          breakGlass: ["person:frank"],
        }),
      /jit\.people\[0\]\.principals\[0\]: .*no wildcards/,
      /jit\.people\[1\]\.principals\[0\]: .*already jit\.people\[0\]\.principals\[1\]/,
      /jit\.people\[1\]\.principals\[1\]: .*Identity Center role/,
      /jit\.people\[2\]\.name: 'dave' is already jit\.people\[0\]/,
      /jit\.breakGlass\[0\]: person:frank: names no person/,
    );
  });

  it("warns in dev, through the sandbox that runs the config", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jit-identity-"));
    const file = join(dir, "jit.json");
    writeFileSync(file, JSON.stringify({ enabled: true, requesters: ["*"], approvers: [`arn:aws:sts::${ACCT}:assumed-role/ml-leads/*`] }));
    const err: string[] = [];
    const io: CliIo = { out: () => undefined, err: (l) => err.push(l), env: {} };
    assert.equal(await runCli(["serve", "--local", "--port", "0", "--config", file], io), 0);
    try {
      const text = err.join("\n");
      assert.match(text, /warning: jit\.requesters\[0\]: /);
      assert.match(text, /warning: jit\.approvers\[0\]: .*ml-leads/);
    } finally {
      await runningSandboxes.pop()?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("jit identity: the stack files", () => {
  it("refuses a prod stack whose jit section lets callers pick their name, naming the stack file and key, and registers nothing", () => {
    const raw = readStackConfig("prod");
    const jit = JSON.parse(raw["model-vault:jit"]) as Record<string, unknown>;
    const bad = { ...raw, "model-vault:jit": JSON.stringify({ ...jit, approvers: ["arn:aws:sts::222222222222:assumed-role/ml-leads/alice", "bob"], breakGlass: ["*"] }) };
    assert.throws(
      () => loadStackConfig("prod", bad),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.stackFile === "Pulumi.prod.yaml" &&
        e.problems.some((p) => /^model-vault:jit\.approvers\[0\]: .*ml-leads/.test(p)) &&
        e.problems.some((p) => /^model-vault:jit\.approvers\[1\]: /.test(p)) &&
        e.problems.some((p) => /^model-vault:jit\.breakGlass\[0\]: /.test(p)),
    );
    assert.equal(loadStackConfig("prod", raw).jit.enabled, true, "the shipped prod section passes");
  });

  it("shows dev's warned entries in the plan's warnings", async () => {
    const raw = readStackConfig("dev");
    const jit = JSON.parse(raw["model-vault:jit"]) as Record<string, unknown>;
    const warned = { ...raw, "model-vault:jit": JSON.stringify({ ...jit, approvers: [...(jit.approvers as string[]), `arn:aws:sts::${ACCT}:assumed-role/ml-leads/*`] }) };
    const r = await serially(() => buildPlan("dev", { config: warned }));
    assert.ok(r.plan.warnings!.some((w) => /^model-vault:jit\.approvers\[2\]: .*ml-leads/.test(w)), r.plan.warnings!.join("\n"));
    assert.deepEqual(checkJitIdentity(loadStackConfig("dev", raw).jit, "dev").warnings, [], "the shipped dev section is an example without warnings");
  });
});
