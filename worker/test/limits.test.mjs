// What protects the owner's balance: the spend policy, the daily token budget, the create
// rate limit (Durable Object, in-memory fallback, Cloudflare's binding) and idempotent
// creates. Every refusal must leave the upstream untouched.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSim, withWorker, clientId, t2v, create, upstreamCalls, sleep } from "./helpers.mjs";

let sim;
before(async () => {
  sim = await startSim();
});
after(() => sim?.stop());

/** A fresh Worker with no rate limit unless `vars` set one. */
const withLimits = (name, vars, fn, options) => withWorker(sim, name, { RATE_LIMIT: "off", ...vars }, fn, options);

const posts = async (key) => (await upstreamCalls(sim, key)).filter((e) => e.method === "POST").length;

test("a create over the spend policy is refused, with nothing upstream", async () => {
  await withLimits("policy", { ALLOWED_MODELS: "doubao-seedance-2-0-fast-260128", ALLOWED_RESOLUTIONS: "480p", MAX_DURATION: "5" }, async (w, key) => {
    const c = clientId();
    for (const [req, field] of [
      [t2v("x", { model: "doubao-seedance-2-0-260128" }), "model"],
      [t2v("x", { resolution: "720p" }), "resolution"],
      [t2v("x", { duration: 8 }), "duration"],
      [t2v("x", { duration: -1 }), "duration"],
    ]) {
      const res = await create(w, c, req);
      const body = await res.json();
      assert.equal(res.status, 403, field);
      assert.equal(body.error.code, "PolicyViolation");
      assert.equal(body.error.param, field);
      assert.ok(body.issues.some((i) => i.field === field));
    }
    assert.equal((await sim.requests(key)).length, 0);
    assert.equal((await create(w, c, t2v())).status, 200);
  });
});

test("the daily token budget holds per client and refunds refused creates", async () => {
  // 480p 4 s = 40,594 tokens: a budget of 100,000 allows two.
  await withLimits("budget", { DAILY_TOKEN_BUDGET: "100000", LIMIT_BY: "client" }, async (w, key) => {
    const c = clientId();
    assert.equal((await create(w, c, t2v())).status, 200);
    // A create the server refuses (429: refused before any work) is given back.
    await sim.faults(["429=1,times=1,on=create"]);
    const refused = await create(w, c, t2v());
    assert.equal(refused.status, 429);
    await refused.text();
    await sim.clearFaults();
    assert.equal((await create(w, c, t2v())).status, 200);
    const over = await create(w, c, t2v());
    const body = await over.json();
    assert.equal(over.status, 429);
    assert.equal(body.error.code, "DailyBudgetExceeded");
    assert.ok(Number(over.headers.get("retry-after")) > 0);
    assert.equal(await posts(key), 3, "two creates and the refused one; the over-budget one never left");
    // Another client has its own budget.
    assert.equal((await create(w, clientId(), t2v())).status, 200);
  });
});

test("a repeated Idempotency-Key creates one upstream task and answers the same id", async () => {
  await withLimits("idem", {}, async (w, key) => {
    const c = clientId();
    const headers = { "idempotency-key": "seedance-0123456789abcdef" };
    const first = await create(w, c, t2v(), headers);
    const a = await first.json();
    assert.equal(first.status, 200);
    const second = await create(w, c, t2v(), headers);
    const b = await second.json();
    assert.equal(second.status, 200);
    assert.equal(b.id, a.id);
    assert.equal(second.headers.get("idempotent-replayed"), "true");
    // Concurrent repeats: still one task.
    const many = await Promise.all([1, 2, 3].map(() => create(w, c, t2v(), { "idempotency-key": "seedance-concurrent-1" })));
    const statuses = many.map((r) => r.status).sort();
    await Promise.all(many.map((r) => r.text()));
    assert.equal(statuses.filter((s) => s === 200).length >= 1, true, String(statuses));
    assert.ok(statuses.every((s) => s === 200 || s === 409), String(statuses));
    assert.equal(await posts(key), 2);
    // The same key from another client is another create (keys are per visitor).
    assert.equal((await create(w, clientId(), t2v(), headers)).status, 200);
    assert.equal(await posts(key), 3);
  });
});

test("an Idempotency-Key whose create failed ambiguously is not created again", async () => {
  await withLimits("idem-unknown", {}, async (w, key) => {
    const c = clientId();
    const headers = { "idempotency-key": "seedance-lost-answer-1" };
    await sim.faults(["500,times=1,on=create"]);
    const first = await create(w, c, t2v(), headers);
    assert.equal(first.status, 500);
    await first.text();
    await sim.clearFaults();
    const again = await create(w, c, t2v(), headers);
    const body = await again.json();
    assert.equal(again.status, 409);
    assert.equal(body.error.code, "IdempotencyOutcomeUnknown");
    assert.equal(await posts(key), 1);
  });
});

/** Two creates from client `c` pass and the third is refused by the rate limit: its answer. */
async function twoThenLimited(w, c) {
  assert.equal((await create(w, c, t2v())).status, 200);
  assert.equal((await create(w, c, t2v())).status, 200);
  const limited = await create(w, c, t2v());
  const body = await limited.json();
  assert.equal(limited.status, 429);
  assert.equal(body.error.code, "RateLimitExceeded");
  return limited;
}

async function tripsAndRecovers(w, key) {
  const c = clientId();
  const limited = await twoThenLimited(w, c);
  assert.ok(Number(limited.headers.get("retry-after")) >= 1);
  // Another client is not affected.
  assert.equal((await create(w, clientId(), t2v())).status, 200);
  assert.equal(await posts(key), 3);
  await sleep(1600);
  assert.equal((await create(w, c, t2v())).status, 200, "recovered after the window");
  assert.equal(await posts(key), 4);
}

const creates = (w) => w.logs.filter((l) => l.startsWith("POST create"));

test("the rate limit trips and recovers through the Durable Object", async () => {
  await withLimits("rate-do", { RATE_LIMIT: "2/1500ms", LIMIT_BY: "client" }, async (w, key) => {
    await tripsAndRecovers(w, key);
    assert.ok(creates(w).length >= 5 && creates(w).every((l) => l.endsWith("gate=durable-object")), creates(w).join("\n"));
  });
});

test("the rate limit trips and recovers in memory when no Durable Object is bound", async () => {
  await withLimits(
    "rate-mem",
    { RATE_LIMIT: "2/1500ms", LIMIT_BY: "client" },
    async (w, key) => {
      await tripsAndRecovers(w, key);
      assert.ok(creates(w).length >= 5 && creates(w).every((l) => l.endsWith("gate=memory")), creates(w).join("\n"));
    },
    { gate: false },
  );
});

test("the rate limit counts by IP: a new client id does not escape it", async () => {
  await withLimits("rate-ip", { RATE_LIMIT: "1/60s" }, async (w, key) => {
    const ip = { "cf-connecting-ip": "203.0.113.7" };
    assert.equal((await create(w, clientId(), t2v(), ip)).status, 200);
    const res = await create(w, clientId(), t2v(), ip);
    assert.equal(res.status, 429);
    await res.text();
    assert.equal((await create(w, clientId(), t2v(), { "cf-connecting-ip": "203.0.113.8" })).status, 200);
    assert.equal(await posts(key), 2);
  });
});

test("Cloudflare's rate-limiting binding, when bound, does the limiting", async () => {
  await withLimits(
    "rate-binding",
    { RATE_LIMIT: "100/1s", LIMIT_BY: "client" },
    async (w, key) => {
      await twoThenLimited(w, clientId());
      assert.equal(await posts(key), 2);
    },
    { rateLimiter: { limit: 2, period: 60 } },
  );
});
