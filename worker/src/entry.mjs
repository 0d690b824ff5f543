// The Worker's module: instantiate the wasm (no fetch, no download: the runtime hands the
// compiled module over), route every request to Rust, and export the Durable Object that
// keeps rate limits, budgets and idempotency keys (a thin class over Rust's `records`).
import { DurableObject } from "cloudflare:workers";
import wasm from "./seedance_worker_bg.wasm";
import { initSync, handle, durable_object_run } from "./seedance_worker.js";

initSync({ module: wasm });

export default {
  fetch: (request, env, ctx) => handle(request, env, ctx),
};

/**
 * One instance per client name: its operations run one at a time, over its storage.
 * Named `SeedanceGate` (bound as `GATE`) since the first deployments: renaming a deployed
 * Durable Object class needs a migration (`renamed_classes` in wrangler.toml), so it stays.
 */
export class SeedanceGate extends DurableObject {
  run(op) {
    return durable_object_run(this.ctx.storage, op);
  }
}
