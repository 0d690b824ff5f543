// A test file's own simulator (and, for the run through the Worker, its own Worker), so that
// scripts/test-playground can run the files in parallel: the simulator's faults and request
// log are global, so files must not share one. Started on free ports when lib.mjs is first
// imported (E2E_OWN_SIM=1, E2E_OWN_WORKER=1), stopped when the file's tests end; under
// scripts/test the simulator's request log joins the run's logs for the secret scan.
import { after } from "node:test";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startSim } from "../js/test/sim.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** This file's seedance-sim (fast timings); its base URL. */
export async function ownSim() {
  const sim = await startSim();
  after(() => sim.stop());
  process.once("exit", () => sim.kill());
  return sim.base;
}

/**
 * This file's Worker (worker/dist, built by scripts/test-playground, in miniflare) in front of
 * `sim`, set up as scripts/test-playground's shared one was; its API base URL.
 */
export async function ownWorker(sim) {
  const worker = spawn(
    process.execPath,
    [
      path.join(root, "worker/scripts/serve"), "--quiet",
      "--upstream", `${sim}/seedance/api/v3`, "--origin", "*", "--key", "sk-seedance-canary-e2e-worker",
      "--var", "RATE_LIMIT=off", "--var", "ALLOW_LIST=true", "--var", "ALLOWED_RESOLUTIONS=480p,720p,1080p",
      "--var", "MAX_DURATION=15", "--var", "DAILY_TOKEN_BUDGET=1000000000", "--var", 'LIMITS={"allow_http":true}',
    ],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" } },
  );
  const line = await new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the Worker exited with ${code}`)));
    createInterface({ input: worker.stdout }).once("line", resolve);
  });
  const stop = () => worker.kill();
  after(stop);
  process.once("exit", stop);
  return `${line.replace("seedance-worker listening on ", "").trim()}/api/v3`;
}
