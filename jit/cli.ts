#!/usr/bin/env node
// Entry point of `npm run jit -- ...` and the package bin. `serve --local` keeps running.
import { readFileSync } from "fs";
import { runCli, runningSandboxes } from "./cli-main";

// This machine runs Node 20; the SDK's notice about 2027 releases is noise on every CLI call.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// `serve --local` holds a port: whatever stops us (Ctrl-C, npm passing on SIGTERM, the terminal
// closing) closes it first. `npm run` starts us through `sh -c`, so if npm is killed outright
// nothing reaches us and the shell lingers too: watch the parent and its parent, and stop when
// either is gone rather than hold the port as an orphan.
let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  void Promise.allSettled(runningSandboxes.map((s) => s.close())).finally(() => process.exit(code));
}
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) process.once(signal, () => stop(code));
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8"); // Linux: "pid (comm) state ppid ..."
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}
const parent = process.ppid;
const watched = [parent, parentOf(parent)].filter((p): p is number => p !== undefined && p > 1);
const gone = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
};
setInterval(() => {
  if (process.ppid !== parent || watched.some(gone)) stop(143);
}, 500).unref();

void runCli(process.argv.slice(2)).then((code) => {
  if (code !== 0) process.exit(code);
});
