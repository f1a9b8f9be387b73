// Entry point of `npm run models` and the `model-vault-models` bin.
import { runModelsCli } from "./cli";

runModelsCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) }).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  },
);
