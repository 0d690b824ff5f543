// The edge `generate` route: the crate's Client creates and waits inside the Worker and
// streams server-sent events, within the subrequest budget.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSim, withWorker, clientId, t2v, upstreamCalls, TASKS } from "./helpers.mjs";

let sim;
before(async () => {
  sim = await startSim();
});
after(() => sim?.stop());

/** Read a text/event-stream answer to the end: [{event, data}]. */
async function events(res) {
  const text = await res.text();
  return text
    .split("\n\n")
    .filter(Boolean)
    .map((block) => {
      const lines = Object.fromEntries(block.split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]));
      return { event: lines.event, data: JSON.parse(lines.data) };
    });
}

const generate = (w, client, body, headers = {}) =>
  w.fetch("/api/v3/generate", {
    method: "POST",
    headers: { "content-type": "application/json", "x-client-id": client, ...headers },
    body: JSON.stringify(body),
  });

test("generate streams created, progress and done with the video URL", async () => {
  await withWorker(sim, "generate", { GENERATE_POLL_MS: "150", RATE_LIMIT: "off" }, async (w, key) => {
    const c = clientId();
    const res = await generate(w, c, t2v("at the edge"));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /^text\/event-stream/);
    const ev = await events(res);
    assert.equal(ev[0].event, "created");
    assert.ok(ev.slice(1, -1).every((e) => e.event === "progress" && e.data.id === ev[0].data.id));
    const done = ev.at(-1);
    assert.equal(done.event, "done", JSON.stringify(done));
    assert.equal(done.data.status, "succeeded");
    assert.equal(done.data.id, ev[0].data.id);
    assert.match(done.data.content.video_url, /\/tos\/cgt-.*\.mp4\?X-Tos-/);
    // The id works on the task route for the same visitor.
    const got = await w.fetch(`${TASKS}/${done.data.id}`, { headers: { "x-client-id": c } });
    assert.equal(got.status, 200);
    await got.text();
    const log = await upstreamCalls(sim, key);
    assert.equal(log.filter((e) => e.method === "POST").length, 1);
    assert.ok(log.every((e) => e.headers.authorization === `Bearer ${key}`));
  });
});

test("generate stops within the subrequest budget and says so, with the task id", async () => {
  // 10 subrequests: 1 create + 2 create retries kept in reserve, 2 calls to the client's
  // records (the Durable Object) → 5 polls at most.
  await withWorker(sim, "budget", { GENERATE_POLL_MS: "50", SUBREQUEST_BUDGET: "10", RATE_LIMIT: "off" }, async (w, key) => {
    const c = clientId();
    const ev = await events(await generate(w, c, t2v("[queued] never starts"), { "idempotency-key": "seedance-budget-1" }));
    const last = ev.at(-1);
    assert.equal(last.event, "error", JSON.stringify(last));
    assert.equal(last.data.code, "SubrequestBudgetExhausted");
    assert.equal(last.data.id, ev[0].data.id);
    assert.ok(last.data.message.includes(ev[0].data.id), last.data.message);
    const log = await upstreamCalls(sim, key);
    const gets = log.filter((e) => e.method === "GET").length;
    // 1 idempotency begin + 1 admit before, 1 idempotency finish after, 1 + 2 creates.
    assert.equal(gets, 10 - 2 - 1 - 3);
    assert.equal(log.filter((e) => e.method === "POST").length, 1);
  });
});

test("generate refuses what the task route refuses, before any event", async () => {
  await withWorker(sim, "gen-refuse", {}, async (w, key) => {
    const res = await generate(w, clientId(), t2v("x", { duration: 3 }));
    const body = await res.json();
    assert.equal(res.status, 400);
    assert.equal(body.error.param, "duration");
    assert.equal((await sim.requests(key)).length, 0);
  });
});

test("a failed task ends the stream with its error", async () => {
  await withWorker(sim, "gen-fail", { GENERATE_POLL_MS: "150", RATE_LIMIT: "off" }, async (w, key) => {
    const ev = await events(await generate(w, clientId(), t2v("[fail] please")));
    const last = ev.at(-1);
    assert.equal(last.event, "error");
    assert.equal(last.data.code, "OutputVideoSensitiveContentDetected");
    assert.equal(last.data.id, ev[0].data.id);
    assert.ok(!JSON.stringify(ev).includes("cgt-2"), "the account's id never shows");
  });
});
