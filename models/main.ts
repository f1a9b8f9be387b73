// Entry point of `npm run models` and the `model-vault-models` bin.
import { runModelsCli } from "./cli";

// The progress bar only where someone watches it: a terminal, not a CI log.
let drawn = false;
const progress = process.stderr.isTTY
  ? (line: string) => {
      process.stderr.write(`\r${line}\x1b[K`);
      drawn = true;
    }
  : undefined;
const line = (write: (l: string) => void) => (l: string) => {
  if (drawn) process.stderr.write("\n");
  drawn = false;
  write(l);
};

runModelsCli(process.argv.slice(2), { out: line(console.log), err: line(console.error), progress }).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  },
);
