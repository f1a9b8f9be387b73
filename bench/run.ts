// npm run bench: speed goals as ratios and throughput, never as timed test assertions.
import { benchPlan } from "./plan";
import { benchAccess } from "./access";

async function main() {
  console.log("model-vault benchmarks (medians; this machine's load varies, compare ratios)\n");
  benchPlan();
  await benchAccess();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
