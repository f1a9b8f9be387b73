#!/usr/bin/env node
// The package's `model-vault-models` command: the same CLI as `npm run models -- ...`.
require("./register.js");
require("../models/main.ts");
