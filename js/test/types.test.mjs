// The golden TypeScript test: the published declaration accepts a file that uses the whole
// API and rejects one misuse per method and option; it has no `any`; and the usage file,
// compiled, runs against the simulator (so the declaration and the runtime agree).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import { startSim, pngBytes } from "./sim.mjs";

const js = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsc = path.join(js, "node_modules/.bin/tsc");
let sim;
before(async () => (sim = await startSim()));
after(() => sim.stop());

test("tsc accepts the usage file and rejects every misuse", () => {
  // Exit status 0 means: usage.ts type-checks, and every @ts-expect-error in misuse.ts
  // was needed (an unneeded one is an error).
  execFileSync(tsc, ["-p", "test/types"], { cwd: js, stdio: "pipe" });
});

test("the public declaration has no `any`", () => {
  const dts = readFileSync(path.join(js, "pkg/types/seedance.d.ts"), "utf8");
  const code = dts.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  assert.doesNotMatch(code, /\bany\b/);
});

test("the usage file runs against the simulator", async () => {
  const out = path.join(js, "test/types/.out");
  rmSync(out, { recursive: true, force: true });
  execFileSync(tsc, ["-p", "test/types", "--noEmit", "false", "--outDir", out], { cwd: js, stdio: "pipe" });
  const { main } = await import(pathToFileURL(path.join(out, "usage.js")).href);
  const seen = await main(sim.api, pngBytes(640, 480));
  rmSync(out, { recursive: true, force: true });
  assert.deepEqual(seen.slice(0, 5), [
    "true:text_to_video:true",
    "true:first_frame:true",
    "true:first_last_frame:true",
    "true:reference:true",
    "true:text_to_video:true",
  ]);
  assert.ok(seen.includes("video true"));
  assert.ok(seen.includes("created true"));
  assert.ok(seen.includes("last frame string"));
  assert.equal(seen.at(-1), "duration=99", "the validation error's issues are typed and filled");
});
