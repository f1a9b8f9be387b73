#!/usr/bin/env node
// The package's `model-vault-jit` command: the same CLI as `npm run jit -- ...`.
require("./register.js");
require("../jit/cli.ts");
