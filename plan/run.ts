// Runs index.ts in-process under Pulumi's mock runtime, with a stack's config and the fake cloud,
// and records every registration (type, name, parent, inputs, options) as the engine would see it.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { fakeCall, fakeResource, type CloudContext } from "./fakeCloud";
import { PROJECT, ROOT, readStackConfig } from "./stackFiles";
import type { PlanResource } from "./types";

type Registration = Pick<PlanResource, "urn" | "type" | "name" | "parent" | "custom" | "inputs"> & PlanResource["options"];

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getObject(): unknown;
}

/** The mock monitor, plus a record of each request: mocks alone never see a resource's parent. */
class RecordingMonitor extends MockMonitor {
  readonly registrations: Registration[] = [];

  async registerResource(req: RegisterRequest, callback: (err: unknown, resp: unknown) => void): Promise<void> {
    const parent = req.getParent() || null;
    this.registrations.push({
      // newUrn is private in the typings but is how the mock monitor names what it registers.
      urn: (this as unknown as { newUrn(p: string, t: string, n: string): string }).newUrn(parent ?? "", req.getType(), req.getName()),
      type: req.getType(),
      name: req.getName(),
      parent,
      custom: req.getCustom(),
      inputs: rpc.deserializeProperties(req.getObject() as never) as Record<string, unknown>,
      protect: req.getProtect() === true,
      retainOnDelete: req.getRetainondelete() === true,
    });
    return super.registerResource(req, callback);
  }
}

export interface ProgramRun {
  resources: PlanResource[];
  outputs: Record<string, unknown>;
}

export interface RunOptions {
  /** Directory holding the Pulumi.<stack>.yaml files (default: this checkout). */
  root?: string;
  /** Replace the stack file's values (tests use this to try bad config). */
  config?: Record<string, string>;
  /** The program to run; defaults to the root's index.ts, exactly what `pulumi up` runs. */
  program?: () => Promise<Record<string, unknown> | void>;
}

let running = false;
let lastRegistered = 0;

/** How many resources (stack excluded) the last run registered, whether or not it failed. */
export function lastRunRegistrations(): number {
  return lastRegistered;
}

/** Runs the program for one stack. Throws the program's error (e.g. a ConfigError) if it fails. */
export async function runProgram(stack: string, opts: RunOptions = {}): Promise<ProgramRun> {
  if (running) throw new Error("runProgram: one plan at a time (the Pulumi runtime is process-wide)");
  running = true;
  try {
    const root = opts.root ?? ROOT;
    const config = opts.config ?? readStackConfig(stack, root);
    const ctx: CloudContext = {
      accountId: /^\d{12}$/.test(config[`${PROJECT}:accountId`] ?? "") ? config[`${PROJECT}:accountId`] : "000000000000",
      region: config["aws:region"] ?? "us-east-1",
    };
    const monitor = new RecordingMonitor({
      newResource: (args) => fakeResource(args.type, args.name, args.inputs, ctx),
      call: (args) => fakeCall(args.token, args.inputs, ctx),
    });
    await pulumi.runtime.setMocks({ newResource: () => ({ id: undefined, state: {} }), call: () => ({}) }, PROJECT, stack, false);
    settings.setMockOptions(monitor, PROJECT, stack, false);
    pulumi.runtime.setAllConfig(config);

    const program = opts.program ?? loadProgram(ROOT);
    const failures: unknown[] = [];
    const onRejection = (e: unknown) => failures.push(e);
    process.on("unhandledRejection", onRejection);
    let outputs: Record<string, unknown> | undefined;
    try {
      outputs = (await pulumi.runtime.runInPulumiStack(async () => (await program()) ?? {})) as Record<string, unknown> | undefined;
      // Drains registrations still in flight (internal in the typings, exported at runtime).
      await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    } catch (e) {
      failures.unshift(e);
    } finally {
      // The stack resource re-raises a program error on its own promise a few ticks later.
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      process.off("unhandledRejection", onRejection);
    }
    lastRegistered = monitor.registrations.filter((r) => r.type !== "pulumi:pulumi:Stack").length;
    if (failures.length > 0) throw failures[0];

    const states = monitor.getRegisteredResources() as Map<string, { state: unknown }>;
    const resources = monitor.registrations
      .filter((r) => r.type !== "pulumi:pulumi:Stack")
      .map((r): PlanResource => {
        const state = states.get(r.urn)?.state;
        return {
          urn: r.urn,
          type: r.type,
          name: r.name,
          parent: r.parent && !r.parent.includes("::pulumi:pulumi:Stack::") ? r.parent : null,
          custom: r.custom,
          inputs: r.inputs,
          outputs: r.custom && state ? (rpc.deserializeProperty(state) as Record<string, unknown>) : {},
          options: { protect: r.protect, retainOnDelete: r.retainOnDelete },
        };
      });
    return { resources, outputs: outputs ?? {} };
  } finally {
    running = false;
  }
}

function loadProgram(root: string): () => Promise<Record<string, unknown> | void> {
  const mod = require(path.join(root, "index")) as unknown;
  const fn = typeof mod === "function" ? mod : (mod as { default?: unknown }).default;
  if (typeof fn !== "function") throw new Error(`${root}/index.ts must export the program as a function`);
  return fn as () => Promise<Record<string, unknown> | void>;
}
