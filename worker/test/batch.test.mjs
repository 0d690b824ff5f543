// A batch through "Your proxy": the npm package's client.batch() against the Worker, which
// holds the key and meets the batch's creates with its per-client rate limit and daily
// budget. The rate-limited creates wait and go through; the budget stops the batch cleanly.
//
// Needs the npm package built (scripts/build-npm --dev → js/pkg; scripts/test builds it in
// an earlier stage): without it the test fails and says so, never skips.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import path from "node:path";
import fs from "node:fs";
import { startSim, withWorker, clientId, t2v, upstreamCalls } from "./helpers.mjs";

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../js/pkg/node/seedance.js");
const built = fs.existsSync(pkg);
const { SeedanceClient } = built ? await import(pkg) : {};
if (!built) throw new Error(`${pkg} is missing: run scripts/build-npm --dev first`);

let sim;
before(async () => {
  sim = await startSim();
});
after(() => sim?.stop());

// 480p 4 s = 40,594 tokens at the Worker's estimate: a budget of 130,000 allows three.
const TOKENS = 40_594;
const vars = { RATE_LIMIT: "2/3s", DAILY_TOKEN_BUDGET: "130000", LIMIT_BY: "client" };

test("a batch waits out the proxy's rate limit and stops cleanly at its daily budget", async () => {
  await withWorker(sim, "batch", vars, async (w, key) => {
    const client = new SeedanceClient({ baseUrl: `${w.url}/api/v3`, allowHttp: true, headers: { "X-Client-Id": clientId() } });
    const progress = [];
    const requests = Array.from({ length: 5 }, (_, i) => ({ ...t2v(`waves, take ${i + 1}`), name: `take-${i + 1}` }));
    const results = await client.batch(requests, {
      concurrency: 5,
      pollIntervalMs: 100,
      onProgress: (p) => progress.push(p),
    });

    // The Worker answered 429s: its rate limit (waited out) and then its budget.
    const creates = w.logs.filter((l) => l.startsWith("POST create"));
    assert.ok(creates.filter((l) => l.includes(" 429 ")).length >= 2, creates.join("\n"));
    const posts = (await upstreamCalls(sim, key)).filter((e) => e.method === "POST");
    assert.equal(posts.length, 3, "no create past the budget reached the upstream");
    assert.ok(posts.every((e) => e.headers.authorization === `Bearer ${key}` && !e.headers["x-client-id"]));
    // Two at once, then the third only once the window let it through.
    assert.ok(posts[2].time_ms - posts[0].time_ms >= 2900, `${posts[2].time_ms - posts[0].time_ms} ms`);
    assert.ok(progress.some((p) => p.kind === "waiting"), "the batch waited on the rate limit");

    assert.equal(results.exitCode, 1);
    assert.match(results.stopped, /DailyBudgetExceeded|daily budget/, results.stopped);
    const made = results.filter((r) => r.taskId);
    assert.equal(made.length, 3, JSON.stringify(results.map((r) => r.state)));
    assert.ok(made.every((r) => r.state === "downloaded" && r.video.length > 1000));
    assert.equal(new Set(made.map((r) => r.taskId)).size, 3);
    assert.ok(made.every((r) => r.taskId.startsWith("cgt-") && r.taskId.includes(".")), "the visitor's ids");
    assert.ok(results.filter((r) => !r.taskId).every((r) => r.state === "pending"));
    assert.ok(made.every((r) => r.task.usage.completion_tokens <= TOKENS));
  });
});
