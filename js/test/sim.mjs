// A seedance-sim for the Node tests: started on a free port, stopped when the tests end.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import path from "node:path";
import fs from "node:fs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export async function startSim() {
  const bin =
    process.env.SEEDANCE_SIM_BIN ??
    path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, "target"), "debug/seedance-sim");
  const child = spawn(bin, ["--port", "0", "--fast", "--quiet"], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`seedance-sim exited with ${code}`)));
    createInterface({ input: child.stdout }).once("line", resolve);
  });
  const base = line.replace("seedance-sim listening on ", "").trim();
  const control = async (route, method = "GET", body) => {
    const res = await fetch(`${base}/_sim/${route}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  };
  return {
    base,
    api: `${base}/seedance/api/v3`,
    /** Requests the client made (CORS preflights excluded), optionally only one key's. */
    requests: async (key) =>
      (await control(key ? `requests?key=${encodeURIComponent(key)}` : "requests")).filter((e) => e.method !== "OPTIONS"),
    /** The tasks of `key` with when each was created, ran and finished (the timeline). */
    tasks: (key) => control(`tasks?key=${encodeURIComponent(key)}`),
    faults: (faults) => control("faults", "POST", { faults }),
    clearFaults: () => control("faults", "DELETE"),
    /** Stop at once, saving nothing (e.g. when the process exits). */
    kill: () => child.kill(),
    /** Stop; under scripts/test the request log goes to the run's logs for the secret scan. */
    stop: async () => {
      const dir = process.env.SEEDANCE_LOG_DIR;
      if (dir) {
        const log = await control("requests").catch(() => []);
        const name = `js-${path.basename(process.argv[1] ?? "test", ".mjs")}-${process.pid}.requests.json`;
        fs.writeFileSync(path.join(dir, name), JSON.stringify(log));
      }
      child.kill();
    },
  };
}

/** Poll fast: the simulator's tasks take about a second. */
export const fastPoll = { firstDelayMs: 100, intervalMs: 100, maxDelayMs: 200, jitter: 0, retryBaseMs: 100 };

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A tiny but well-formed PNG header of the given size (enough for every check). */
export function pngBytes(w, h) {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const dv = new DataView(b.buffer);
  dv.setUint32(16, w);
  dv.setUint32(20, h);
  b.set([8, 2, 0, 0, 0], 24);
  return b;
}
