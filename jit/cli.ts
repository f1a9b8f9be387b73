#!/usr/bin/env node
// Entry point of `npm run jit -- ...` and the package bin. `serve --local` keeps running.
import { runCli, runningSandboxes } from "./cli-main";

// This machine runs Node 20; the SDK's notice about 2027 releases is noise on every CLI call.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// `serve --local` holds a port: whatever stops us (Ctrl-C, npm passing on SIGTERM, the terminal
// closing) closes it first. If npm itself is killed outright, the shell between us may not pass
// anything on: being re-parented means our parent is gone, so stop rather than linger as an orphan.
let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  void Promise.allSettled(runningSandboxes.map((s) => s.close())).finally(() => process.exit(code));
}
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) process.once(signal, () => stop(code));
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop(143);
}, 500).unref();

void runCli(process.argv.slice(2)).then((code) => {
  if (code !== 0) process.exit(code);
});
