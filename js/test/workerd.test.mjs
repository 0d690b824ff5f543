// The package inside workerd (Cloudflare's runtime, through miniflare): no window, no fs,
// the wasm imported as a module. `generate` runs against the simulator.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { Miniflare } from "miniflare";
import { startSim } from "./sim.mjs";

const js = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
let sim;
let mf;
before(async () => {
  sim = await startSim();
  mf = new Miniflare({
    modules: true,
    modulesRoot: js,
    scriptPath: path.join(js, "test/worker/worker.mjs"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2025-01-01",
    bindings: { SIM_API: sim.api },
    cf: false,
  });
});
after(async () => {
  await mf?.dispose();
  await sim.stop();
});

test("generate runs in workerd", async () => {
  const res = await mf.dispatchFetch("http://localhost/");
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.task.status, "succeeded");
  assert.equal(body.events[0], `created:${body.task.id}`);
  assert.equal(body.events.at(-1), "succeeded");
  const log = await sim.requests("sk-seedance-canary-workerd");
  assert.equal(log.filter((e) => e.method === "POST").length, 1);
  assert.ok(log.every((e) => e.headers.authorization === "Bearer sk-seedance-canary-workerd"));
});
