#!/usr/bin/env node
// Entry point of `npm run jit -- ...` and the package bin. `serve --local` keeps running.
import { runCli } from "./cli-main";

// This machine runs Node 20; the SDK's notice about 2027 releases is noise on every CLI call.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

void runCli(process.argv.slice(2)).then((code) => {
  if (code !== 0) process.exit(code);
});
