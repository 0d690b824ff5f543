// Shared by the Worker's tests and worker/scripts/serve: the Worker (worker/dist, built by
// worker/build) in miniflare, pointed at an upstream, with every log line kept.
import { fileURLToPath } from "node:url";
import path from "node:path";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { Miniflare } from "miniflare";

export { startSim, sleep, pngBytes } from "../../js/test/sim.mjs";

const worker = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const dist = path.join(worker, "dist");
export const TASKS = "/api/v3/contents/generations/tasks";
export const FAST = "doubao-seedance-2-0-fast-260128";

/**
 * Start the Worker. `vars` are its vars and secrets (strings); `gate: false` leaves the
 * Durable Object unbound (the in-memory fallback); `rateLimiter: {limit, period}` binds
 * Cloudflare's rate-limiting binding. Returns `{ url, fetch, logs, dispose }`.
 */
export async function startWorker({ upstream, vars = {}, gate = true, rateLimiter, host, port } = {}) {
  const logs = [];
  const collect = (stream) => {
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => logs.push(...chunk.split("\n").filter(Boolean)));
  };
  const mf = new Miniflare({
    modules: true,
    modulesRoot: dist,
    scriptPath: path.join(dist, "entry.mjs"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2025-01-01",
    bindings: { UPSTREAM_BASE_URL: upstream, ...vars },
    durableObjects: gate ? { GATE: { className: "SeedanceGate", useSQLite: true } } : {},
    ratelimits: rateLimiter ? { RATE_LIMITER: { simple: rateLimiter } } : {},
    cf: false,
    host,
    port,
    handleRuntimeStdio(stdout, stderr) {
      collect(stdout);
      collect(stderr);
    },
  });
  const url = (await mf.ready).toString().replace(/\/$/, "");
  return {
    url,
    fetch: (p, init) => mf.dispatchFetch(`http://localhost${p}`, init),
    logs,
    dispose: async () => {
      await mf.dispose();
      // Under scripts/test the Worker's own log joins the run's logs for the secret scan.
      const dir = process.env.SEEDANCE_LOG_DIR;
      if (dir) fs.writeFileSync(path.join(dir, `worker-${process.pid}-${++saved}.log`), logs.join("\n"));
    },
  };
}

let saved = 0;

/**
 * Run `fn(w, key)` against a Worker of its own, pointed at `sim`, with a fresh API key
 * (`apiKey(name)`) beside `vars`; `options` go to `startWorker`. The Worker is disposed of
 * whatever `fn` does.
 */
export async function withWorker(sim, name, vars, fn, options = {}) {
  const key = apiKey(name);
  const w = await startWorker({ upstream: sim.api, vars: { SEEDANCE_API_KEY: key, ...vars }, ...options });
  try {
    return await fn(w, key);
  } finally {
    await w.dispose();
  }
}

/** A fresh random client id, as a page would make one. */
export const clientId = () => `c-${randomBytes(12).toString("hex")}`;

/** A distinctive API key per test, so the simulator's log can be filtered by it. */
export const apiKey = (name) => `sk-seedance-canary-worker-${name}-${randomBytes(6).toString("hex")}`;

/** A valid text-to-video request. */
export const t2v = (prompt = "a fox in the snow", extra = {}) => ({
  model: FAST,
  content: [{ type: "text", text: prompt }],
  resolution: "480p",
  duration: 4,
  generate_audio: false,
  ...extra,
});

/** POST a create as a visitor with this client id. */
export const create = (w, client, body, headers = {}) =>
  w.fetch(TASKS, {
    method: "POST",
    headers: { "content-type": "application/json", "x-client-id": client, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** GET or DELETE one task as a visitor. */
export const byId = (w, client, id, method = "GET", headers = {}) =>
  w.fetch(`${TASKS}/${id}`, { method, headers: { "x-client-id": client, ...headers } });

/** The simulator's log of one key, API calls only. */
export const upstreamCalls = async (sim, key) =>
  (await sim.requests(key)).filter((e) => e.path.includes("/contents/generations/tasks"));
