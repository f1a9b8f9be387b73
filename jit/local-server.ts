// The local sandbox: the same broker and routes over HTTP on 127.0.0.1, backed by an in-process
// DynamoDB-compatible server. Nothing here is authenticated: the caller is whoever the
// X-Sandbox-Caller header names (a name), or the principal the X-Sandbox-Caller-Arn and
// X-Sandbox-Principal-Id headers give, which then goes through the same identity rules as the
// Lambda's authorizer context. That is why it binds to loopback only and says so loudly.
import { createServer, type IncomingMessage, type Server } from "http";
import type { AddressInfo } from "net";
import { JIT_DEFAULTS, type JitConfig } from "../config/jit";
import { Broker } from "./handlers";
import { JitError } from "./errors";
import { startLocalDynamo } from "./local-dynamo";
import { callerFromPrincipal, sandboxCaller, sandboxPrincipalId } from "./principals";
import type { Caller } from "./types";
import { errorResponse, route, type HttpResponse } from "./routes";
import { MemoryNotifier, MemoryRevocationSink, SandboxIssuer, TimerScheduler } from "./sandbox-adapters";
import { DynamoRequestStore } from "./store";
import type { BrokerTarget } from "./ports";
import { MAX_BODY_BYTES } from "./validate";

export const SANDBOX_CALLER_HEADER = "x-sandbox-caller";
export const SANDBOX_ARN_HEADER = "x-sandbox-caller-arn";
export const SANDBOX_PRINCIPAL_ID_HEADER = "x-sandbox-principal-id";
export const DEFAULT_SANDBOX_PORT = 8787;

export function sandboxBanner(dataDir?: string): string {
  const lines = [
    "model-vault JIT broker -- LOCAL SANDBOX, NOT A REAL BROKER",
    "callers are whoever --as / --as-arn say; no AWS, STS or IAM.",
    "claim prints the AssumeRole call it WOULD make.",
    ...(dataDir
      ? ["state is kept in (--data-dir):", dataDir, "and survives restarts."]
      : ["state lives in memory: it is lost when the server stops", "(keep it with --data-dir DIR)."]),
  ];
  const width = Math.max(60, ...lines.map((l) => l.length));
  const rule = "#".repeat(width + 6);
  return [rule, ...lines.map((l) => `#  ${l.padEnd(width)}  #`), rule].join("\n");
}

/** A config that lets the sandbox be tried at once: anyone requests, alice/bob/carol approve. */
export const SANDBOX_CONFIG: JitConfig = {
  ...JIT_DEFAULTS.dev,
  enabled: true,
  requesters: ["*"],
  approvers: ["alice", "bob", "carol"],
  actions: ["write", "delete"],
  breakGlass: ["oncall"],
};

export const SANDBOX_TARGET: BrokerTarget = {
  elevatedRoleArn: "arn:aws:iam::111111111111:role/model-vault-sandbox-elevated",
  bucketName: "model-vault-sandbox",
  region: "us-east-1",
  accountId: "111111111111",
};

export interface Sandbox {
  url: string;
  broker: Broker;
  issuer: SandboxIssuer;
  notifier: MemoryNotifier;
  revocations: MemoryRevocationSink;
  close(): Promise<void>;
}

export interface SandboxOptions {
  port?: number;
  config?: JitConfig;
  target?: BrokerTarget;
  /** Keep the request table in this directory (LevelDB) instead of memory. */
  dataDir?: string;
  log?: (line: string) => void;
}

function sandboxIdentity(req: IncomingMessage, config: JitConfig): Caller {
  const one = (h: string): string | undefined => {
    const v = req.headers[h];
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const arn = one(SANDBOX_ARN_HEADER);
  if (arn) return callerFromPrincipal(arn, one(SANDBOX_PRINCIPAL_ID_HEADER) ?? sandboxPrincipalId(arn), config.people);
  const name = one(SANDBOX_CALLER_HEADER);
  if (!name) throw new JitError("unauthenticated", "sandbox: name the caller with --as NAME or --as-arn ARN");
  return sandboxCaller(name);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new JitError("too-large", `request body over ${MAX_BODY_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const log = opts.log ?? (() => undefined);
  const db = await startLocalDynamo(undefined, { path: opts.dataDir });
  const config = opts.config ?? SANDBOX_CONFIG;
  const issuer = new SandboxIssuer();
  const notifier = new MemoryNotifier(log);
  const revocations = new MemoryRevocationSink();
  const holder: { broker?: Broker } = {};
  const scheduler = new TimerScheduler((id) => void holder.broker?.closeIfDue(id).then(() => holder.broker?.syncRevocations(revocations)).catch(() => undefined));
  const broker = new Broker({
    config,
    store: new DynamoRequestStore(db.client, db.table),
    target: opts.target ?? SANDBOX_TARGET,
    issuer,
    notifier,
    scheduler,
    onRevoked: async () => {
      const doc = await broker.syncRevocations(revocations);
      log(`[iam] PutRolePolicy jit-revocations on the elevated role: ${JSON.stringify(doc)}`);
    },
    log,
  });
  holder.broker = broker;

  const server: Server = createServer((req, res) => {
    const send = (r: HttpResponse): void => {
      res.writeHead(r.status, { "content-type": "application/json", "x-model-vault-sandbox": "true" });
      res.end(JSON.stringify(r.body));
    };
    void (async () => {
      try {
        const url = new URL(req.url ?? "/", "http://sandbox");
        if (url.pathname === "/sandbox/revocations" && req.method === "GET") return send({ status: 200, body: revocations.current });
        const caller = sandboxIdentity(req, config);
        const body = await readBody(req);
        const r = await route(broker, caller, { method: req.method ?? "GET", path: url.pathname, query: Object.fromEntries(url.searchParams), body });
        log(`[http] ${caller.person.name} (${caller.person.kind}) ${req.method} ${url.pathname} -> ${r.status}`);
        send(r);
      } catch (e) {
        send(errorResponse(e, log));
      }
    })();
  });
  // Loopback only: the sandbox trusts a header for identity.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    broker,
    issuer,
    notifier,
    revocations,
    close: async () => {
      scheduler.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
