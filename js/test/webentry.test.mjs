// The web entry's wasm leaves the job engine out (it is what a page downloads first):
// batch() and film() load the full build on first use (web/jobs.js) and must behave as the
// full build's own. Node can't fetch file URLs, so the two wasm files are instantiated from
// disk here; everything else is the web entry's own code, against seedance-sim.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import path from "node:path";
import fs from "node:fs";
import { startSim } from "./sim.mjs";

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../pkg");
const web = await import(path.join(pkg, "web/seedance.js"));
web.initSync({ module: fs.readFileSync(path.join(pkg, "web/seedance_bg.wasm")) });
const { withJobs } = await import(path.join(pkg, "web/jobs.js"));
let loads = 0;
const SeedanceClient = withJobs(web.SeedanceClient, async () => {
  loads++;
  const full = await import(path.join(pkg, "full/seedance.js"));
  full.initSync({ module: fs.readFileSync(path.join(pkg, "full/seedance_bg.wasm")) });
  return full;
});

const FAST = "doubao-seedance-2-0-fast-260128";
let sim;
before(async () => {
  sim = await startSim();
});
after(() => sim.stop());

const t2v = (text, extra = {}) => ({
  model: FAST,
  content: [{ type: "text", text }],
  resolution: "480p",
  ratio: "16:9",
  duration: 4,
  generate_audio: false,
  ...extra,
});

test("the web entry's wasm has no job engine; its client has the rest of the API", async () => {
  assert.equal(web.SeedanceClient.prototype.batch, undefined);
  assert.equal(web.SeedanceClient.prototype.film, undefined);
  const c = new SeedanceClient({ apiKey: "sk-seedance-canary-web-1", baseUrl: sim.api, allowHttp: true });
  assert.ok(c instanceof web.SeedanceClient);
  const task = await c.generate(t2v("a lantern"), { poll: { intervalMs: 50, firstDelayMs: 50 } });
  assert.equal(task.status, "succeeded");
  assert.equal(loads, 0, "generate() loads nothing more");
});

test("batch() loads the full build once and runs there with this client's options", async () => {
  const apiKey = "sk-seedance-canary-web-2";
  const options = { apiKey, baseUrl: sim.api, allowHttp: true };
  const c = new SeedanceClient(options);
  options.apiKey = "sk-changed-after"; // the client keeps what it was given
  const journals = [];
  const results = await c.batch(
    [
      { ...t2v("waves, take 1"), name: "one" },
      t2v("waves, take 2"),
    ],
    { pollIntervalMs: 50, onJournal: (j) => journals.push(j) },
  );
  assert.equal(results.length, 2);
  assert.equal(results.exitCode, 0);
  assert.deepEqual(results.map((r) => r.state), ["downloaded", "downloaded"]);
  assert.equal(results[0].name, "one");
  assert.ok(results[1].video instanceof Uint8Array && results[1].video.length > 0);
  assert.equal(journals.at(-1).kind, "batch");
  const posts = (await sim.requests(apiKey)).filter((e) => e.method === "POST");
  assert.equal(posts.length, 2);
  assert.equal(loads, 1);

  // Errors are the full build's: argument errors reject, nothing is sent.
  const bad = await c.batch([t2v("x", { duration: 99 })]).then(
    () => assert.fail("expected a rejection"),
    (e) => e,
  );
  assert.equal(bad.name, "SeedanceValidationError");
  assert.deepEqual(bad.issues.map((i) => i.field), ["jobs[0].duration"]);
  const aborted = await c
    .film(
      { model: FAST, resolution: "480p", ratio: "16:9", generate_audio: false, shots: [{ prompt: "a", duration: 4 }] },
      { signal: AbortSignal.abort() },
    )
    .then(
      () => assert.fail("expected a rejection"),
      (e) => e,
    );
  assert.equal(aborted.name, "AbortError");
  assert.equal((await sim.requests(apiKey)).filter((e) => e.method === "POST").length, 2);
  assert.equal(loads, 1, "the full build loads once");
});
