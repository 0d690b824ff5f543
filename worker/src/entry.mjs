// The Worker's module: instantiate the wasm (no fetch, no download: the runtime hands the
// compiled module over), route every request to Rust, and export the Durable Object that
// keeps rate limits, budgets and idempotency keys (a thin class over Rust's `gate`).
import { DurableObject } from "cloudflare:workers";
import wasm from "./seedance_worker_bg.wasm";
import { initSync, handle, gate } from "./seedance_worker.js";

initSync({ module: wasm });

export default {
  fetch: (request, env, ctx) => handle(request, env, ctx),
};

/** One instance per client name: its operations run one at a time, over its storage. */
export class SeedanceGate extends DurableObject {
  run(op) {
    return gate(this.ctx.storage, op);
  }
}
