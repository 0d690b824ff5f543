// The forwarded routes, what the upstream receives, and everything the proxy refuses:
// other routes, other origins, other visitors' tasks, invalid or oversized creates.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSim, startWorker, withWorker, clientId, apiKey, t2v, create, byId, upstreamCalls, TASKS } from "./helpers.mjs";

const ORIGIN = "https://app.example";
let sim, w, key;
before(async () => {
  sim = await startSim();
  key = apiKey("routes");
  w = await startWorker({
    upstream: sim.api,
    vars: { SEEDANCE_API_KEY: key, ALLOWED_ORIGINS: ORIGIN, MAX_BODY_BYTES: "4096", RATE_LIMIT: "off" },
  });
});
after(async () => {
  await w?.dispose();
  await sim?.stop();
});

test("create, get and delete are forwarded with the key, which never comes back", async () => {
  const c = clientId();
  const res = await create(w, c, t2v("forwarded"));
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const { id } = JSON.parse(text);
  assert.match(id, /^cgt-[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

  const got = await byId(w, c, id);
  const task = await got.json();
  assert.equal(got.status, 200);
  assert.equal(task.id, id, "the visitor sees its own id, not the account's");
  assert.ok(got.headers.get("x-request-id"), "X-Request-Id is passed back");

  const del = await byId(w, c, id, "DELETE");
  assert.equal(del.status, 200, await del.clone().text());
  await del.text();

  const log = await upstreamCalls(sim, key);
  assert.deepEqual(
    log.map((e) => e.method),
    ["POST", "GET", "DELETE"],
  );
  assert.ok(log.every((e) => e.headers.authorization === `Bearer ${key}`));
  assert.ok(log.every((e) => !e.headers["x-client-id"]), "visitor headers stay at the proxy");
  assert.equal(log[0].body.content[0].text, "forwarded");
  const rawId = log[1].path.split("/").pop();
  assert.ok(rawId.startsWith("cgt-2"), rawId);
  assert.ok(!text.includes(rawId) && !JSON.stringify(task).includes(rawId));
  for (const line of w.logs) {
    assert.ok(!line.includes(key) && !line.includes(rawId) && !line.includes(c), line);
  }
  assert.ok(!text.includes(key) && !JSON.stringify(task).includes(key));
});

test("upstream status, body and Retry-After come back untouched", async () => {
  await sim.faults(["429=7,times=1,on=task"]);
  const c = clientId();
  const { id } = await (await create(w, c, t2v())).json();
  const res = await byId(w, c, id);
  const body = await res.json();
  await sim.clearFaults();
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "7");
  assert.match(body.error.code, /^RateLimitExceeded/);
});

test("other paths are 404 and other methods 405, with nothing sent upstream", async () => {
  await withWorker(sim, "other", {}, async (w2, k) => {
    const c = clientId();
    for (const [method, path] of [
      ["GET", "/"],
      ["GET", "/api/v3/models"],
      ["POST", "/v1/videos"],
      ["GET", "/seedance/api/v3/contents/generations/tasks"],
      ["GET", `${TASKS}/a/b`],
      ["GET", "/_sim/requests"],
    ]) {
      const res = await w2.fetch(path, { method, headers: { "x-client-id": c } });
      assert.equal(res.status, 404, `${method} ${path}`);
      await res.text();
    }
    for (const [method, path] of [["PUT", TASKS], ["PATCH", `${TASKS}/x`], ["GET", "/api/v3/generate"]]) {
      const res = await w2.fetch(path, { method, headers: { "x-client-id": c } });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.ok(res.headers.get("allow"));
      await res.text();
    }
    assert.equal((await sim.requests(k)).length, 0);
  });
});

test("list is refused by default", async () => {
  const res = await w.fetch(`${TASKS}?page_size=10`, { headers: { "x-client-id": clientId() } });
  const body = await res.json();
  assert.equal(res.status, 405);
  assert.equal(body.error.code, "ListDisabled");
  assert.equal((await upstreamCalls(sim, key)).filter((e) => e.method === "GET" && !e.path.includes("tasks/")).length, 0);
});

test("list, when turned on, is forwarded with the visitor's ids", async () => {
  await withWorker(sim, "list", { ALLOW_LIST: "true" }, async (w2, k) => {
    const c = clientId();
    const { id } = await (await create(w2, c, t2v())).json();
    const res = await w2.fetch(`${TASKS}?page_size=5`, { headers: { "x-client-id": c } });
    const list = await res.json();
    assert.equal(res.status, 200);
    assert.deepEqual(list.items.map((t) => t.id), [id]);
    const log = await upstreamCalls(sim, k);
    assert.equal(log.at(-1).query, "page_size=5");
  });
});

test("a task created by one visitor can't be read or deleted by another", async () => {
  const alice = clientId();
  const bob = clientId();
  const { id } = await (await create(w, alice, t2v("alice's"))).json();
  const before = (await upstreamCalls(sim, key)).length;
  for (const method of ["GET", "DELETE"]) {
    const res = await byId(w, bob, id, method);
    const body = await res.json();
    assert.equal(res.status, 404, method);
    assert.equal(body.error.code, "ResourceNotFound");
  }
  // The account's raw id is refused too (ids are never guessable from outside).
  const raw = (await upstreamCalls(sim, key)).at(-1).path.split("/").pop();
  const res = await byId(w, alice, raw);
  assert.equal(res.status, 404);
  await res.text();
  assert.equal((await upstreamCalls(sim, key)).length, before, "nothing was sent upstream");
  assert.equal((await byId(w, alice, id)).status, 200);
});

test("a visitor without a client id is refused", async () => {
  const res = await w.fetch(TASKS, { method: "POST", body: JSON.stringify(t2v()) });
  const body = await res.json();
  assert.equal(res.status, 400);
  assert.equal(body.error.code, "ClientIdRequired");
});

test("an invalid create is 400 with every issue and nothing upstream", async () => {
  await withWorker(sim, "invalid", {}, async (w2, k) => {
    const res = await create(w2, clientId(), t2v("x", { duration: 20, resolution: "1080p" }));
    const body = await res.json();
    assert.equal(res.status, 400);
    assert.equal(body.error.code, "InvalidParameter");
    assert.deepEqual(body.issues.filter((i) => i.severity === "error").map((i) => i.field).sort(), ["duration", "resolution"]);
    const bad = await create(w2, clientId(), "{not json");
    assert.equal(bad.status, 400);
    await bad.text();
    assert.equal((await sim.requests(k)).length, 0);
  });
});

test("a body over the cap is refused with nothing upstream", async () => {
  await withWorker(sim, "cap", { MAX_BODY_BYTES: "4096" }, async (w2, k) => {
    const res = await create(w2, clientId(), t2v("y".repeat(5000)));
    const body = await res.json();
    assert.equal(res.status, 413);
    assert.equal(body.error.code, "RequestBodyTooLarge");
    // Without a Content-Length (a stream), the cap holds while reading.
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode("x".repeat(1000)));
        c.close();
      },
    });
    const streamed = await w2.fetch(TASKS, {
      method: "POST",
      headers: { "x-client-id": clientId() },
      body: chunks,
      duplex: "half",
    });
    assert.equal(streamed.status, 413);
    await streamed.text();
    assert.equal((await sim.requests(k)).length, 0);
  });
});

test("CORS: the allowed origin gets headers and a preflight; others get none", async () => {
  const pre = await w.fetch(TASKS, {
    method: "OPTIONS",
    headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type, x-client-id, idempotency-key" },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get("access-control-allow-origin"), ORIGIN);
  assert.match(pre.headers.get("access-control-allow-headers"), /X-Client-Id/);
  assert.match(pre.headers.get("access-control-allow-headers"), /Idempotency-Key/);

  const c = clientId();
  const ok = await create(w, c, t2v(), { origin: ORIGIN });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get("access-control-allow-origin"), ORIGIN);
  assert.match(ok.headers.get("access-control-expose-headers"), /Retry-After/);
  await ok.text();

  const count = (await upstreamCalls(sim, key)).length;
  const evilPre = await w.fetch(TASKS, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
  assert.equal(evilPre.headers.get("access-control-allow-origin"), null);
  await evilPre.text();
  // A simple request (no preflight) from another origin is refused, not forwarded.
  const evil = await create(w, c, t2v(), { origin: "https://evil.example", "content-type": "text/plain" });
  assert.equal(evil.status, 403);
  assert.equal(evil.headers.get("access-control-allow-origin"), null);
  await evil.text();
  assert.equal((await upstreamCalls(sim, key)).length, count);
});

test("with PROXY_TOKEN, server-to-server callers need the token", async () => {
  await withWorker(sim, "token", { PROXY_TOKEN: "t0ken-s3cret" }, async (w2, k) => {
    const c = clientId();
    const no = await create(w2, c, t2v());
    assert.equal(no.status, 401);
    await no.text();
    const wrong = await create(w2, c, t2v(), { "x-proxy-token": "t0ken-s3creT" });
    assert.equal(wrong.status, 401);
    await wrong.text();
    const yes = await create(w2, c, t2v(), { "x-proxy-token": "t0ken-s3cret" });
    assert.equal(yes.status, 200);
    await yes.text();
    assert.equal((await upstreamCalls(sim, k)).length, 1);
  });
});
