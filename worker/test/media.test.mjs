// The media route: a visitor's own results come back byte for byte through the links the
// Worker signs for it (task.proxy), with ranges for <video>; anything else is 403 with
// nothing fetched.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSim, startWorker, withWorker, clientId, apiKey, t2v, create, byId, upstreamCalls, sleep, TASKS } from "./helpers.mjs";

const ORIGIN = "https://app.example";
let sim, w, key;
before(async () => {
  sim = await startSim();
  key = apiKey("media");
  w = await startWorker({
    upstream: sim.api,
    vars: { SEEDANCE_API_KEY: key, ALLOWED_ORIGINS: ORIGIN, RATE_LIMIT: "off", ALLOW_LIST: "true" },
  });
});
after(async () => {
  await w?.dispose();
  await sim?.stop();
});

/** Create as `client` and GET the task through the Worker until it succeeds. */
async function finished(worker, client, body) {
  const res = await create(worker, client, body);
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const { id } = JSON.parse(text);
  for (let i = 0; i < 100; i++) {
    const got = await byId(worker, client, id);
    const task = await got.json();
    assert.equal(got.status, 200, JSON.stringify(task));
    if (task.status === "succeeded") return task;
    assert.ok(["queued", "running"].includes(task.status), task.status);
    await sleep(100);
  }
  assert.fail("the task did not finish");
}

/** A signed link as the Worker gave it, fetched through miniflare (path and query). */
const open = (worker, link, init = {}) => {
  const u = new URL(link);
  return worker.fetch(u.pathname + u.search, init);
};

const bytes = async (res) => new Uint8Array(await res.arrayBuffer());

/** The simulator's log of the result host (`/tos/`) for the account's task `raw`. */
const tosCalls = async (raw) => (await sim.requests()).filter((e) => e.path.startsWith(`/tos/${raw}.`));

/** The account's id of the last task GET the simulator saw. */
const lastRawId = async () => (await upstreamCalls(sim, key)).filter((e) => e.method === "GET" && e.path.includes("/tasks/")).at(-1).path.split("/").pop();

test("a visitor's own clip and last frame come back byte for byte, whole or by range", async () => {
  const c = clientId();
  const task = await finished(w, c, t2v("a fox, proxied", { return_last_frame: true }));
  const raw = await lastRawId();
  const { proxy } = task;
  assert.ok(proxy, JSON.stringify(task));
  assert.match(proxy.video_url, new RegExp(`^http://localhost/api/v3/media/${task.id.replace(/[.-]/g, "\\$&")}/video\\?exp=\\d+&sig=[A-Za-z0-9_-]+$`));
  assert.match(proxy.last_frame_url, /\/media\/cgt-[^/]+\/last_frame\?exp=\d+&sig=/);
  const direct = await bytes(await fetch(task.content.video_url));
  const directFrame = await bytes(await fetch(task.content.last_frame_url));
  assert.ok(direct.length > 1000);
  assert.ok(proxy.expires_at <= Math.floor(Date.now() / 1000) + 86400);

  // A <video> sends neither Origin nor X-Client-Id: the link alone opens it.
  const whole = await open(w, proxy.video_url);
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get("content-type"), "video/mp4");
  assert.equal(whole.headers.get("content-length"), String(direct.length));
  assert.equal(whole.headers.get("accept-ranges"), "bytes");
  assert.equal(whole.headers.get("vary"), "Origin", "a cached no-CORS answer is not reused for a fetch");
  assert.equal(whole.headers.get("access-control-allow-origin"), null);
  assert.deepEqual(await bytes(whole), direct, "the simulator's MP4, byte for byte");

  // A page's fetch, with its client id, from its origin, seeking.
  const part = await open(w, proxy.video_url, { headers: { origin: ORIGIN, "x-client-id": c, range: "bytes=0-99" } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), `bytes 0-99/${direct.length}`);
  assert.equal(part.headers.get("access-control-allow-origin"), ORIGIN);
  assert.match(part.headers.get("access-control-expose-headers"), /Content-Range/);
  const first = await bytes(part);
  assert.equal(first.length, 100);
  assert.deepEqual(first, direct.slice(0, 100));

  const head = await open(w, proxy.video_url, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), String(direct.length));
  assert.equal((await bytes(head)).length, 0);

  const frame = await open(w, proxy.last_frame_url);
  assert.equal(frame.status, 200);
  assert.equal(frame.headers.get("content-type"), "image/png");
  assert.deepEqual(await bytes(frame), directFrame);

  // The result host got fresh URLs from the task, never the key; ranges as sent.
  const tos = (await tosCalls(raw)).slice(2); // after the two direct fetches above
  assert.deepEqual(tos.map((e) => `${e.method} ${e.path.split(".").pop()} ${e.headers.range ?? "-"}`), [
    "GET mp4 -",
    "GET mp4 bytes=0-99",
    "HEAD mp4 -",
    "GET png -",
  ]);
  assert.ok(tos.every((e) => !e.headers.authorization && !e.headers["x-client-id"]));
  for (const line of w.logs) assert.ok(!line.includes(raw) && !line.includes(c), line);
});

test("the task's other fields are as the API sent them, in a get and in a list", async () => {
  const c = clientId();
  const task = await finished(w, c, t2v("unchanged"));
  const raw = await lastRawId();
  const direct = await (await fetch(`${sim.api}${TASKS.replace("/api/v3", "")}/${raw}`, { headers: { authorization: `Bearer ${key}` } })).json();
  // Result URLs are signed anew on every GET: compare them without their signature.
  const strip = (t) => {
    const { id, proxy, ...rest } = structuredClone(t);
    rest.content.video_url = rest.content.video_url.split("?")[0];
    return rest;
  };
  assert.equal(direct.id, raw);
  assert.deepEqual(strip(task), strip(direct));
  assert.deepEqual(Object.keys(task.proxy).sort(), ["expires_at", "video_url"]);

  const list = await (await w.fetch(`${TASKS}?filter.task_ids=${raw}`, { headers: { "x-client-id": c } })).json();
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0].id, task.id);
  assert.deepEqual(strip(list.items[0]), strip(direct));
  assert.equal((await open(w, list.items[0].proxy.video_url)).status, 200);
});

test("a tampered, misused or other visitor's link is 403 and fetches nothing", async () => {
  const alice = clientId();
  const bob = clientId();
  const task = await finished(w, alice, t2v("alice's clip"));
  const raw = await lastRawId();
  const link = task.proxy.video_url;
  const sig = new URL(link).searchParams.get("sig");
  const calls = async () => (await upstreamCalls(sim, key)).length + (await tosCalls(raw)).length;
  const before = await calls();
  const refused = async (url, init, code) => {
    const res = await open(w, url, init);
    const body = await res.json();
    assert.equal(res.status, 403, `${url}: ${JSON.stringify(body)}`);
    if (code) assert.equal(body.error.code, code);
    return res;
  };
  const flipped = sig.replace(/^./, (ch) => (ch === "A" ? "B" : "A"));
  await refused(link.replace(sig, flipped), {}, "MediaLinkInvalid");
  await refused(link.replace(/exp=(\d+)/, (_, n) => `exp=${Number(n) + 3600}`), {}, "MediaLinkInvalid");
  await refused(link.replace("/video?", "/last_frame?"), {}, "MediaLinkInvalid");
  await refused(link.split("?")[0], {}, "MediaLinkInvalid");
  // Bob's id for the same task, with Alice's signature.
  const bobs = (await (await create(w, bob, t2v("bob's"))).json()).id;
  await refused(link.replace(task.id, bobs), {}, "MediaLinkInvalid");
  // Alice's link, sent by Bob's page.
  await refused(link, { headers: { origin: ORIGIN, "x-client-id": bob } }, "MediaLinkNotYours");
  // Another origin: 403 with no CORS headers.
  const evil = await refused(link, { headers: { origin: "https://evil.example" } }, "OriginNotAllowed");
  assert.equal(evil.headers.get("access-control-allow-origin"), null);
  assert.equal(await calls(), before + 1, "nothing fetched (but Bob's create)");

  for (const method of ["POST", "PUT", "DELETE"]) {
    const res = await open(w, link, { method });
    assert.equal(res.status, 405, method);
    assert.match(res.headers.get("allow"), /GET, HEAD/);
    await res.text();
  }
  // Still Alice's.
  assert.equal((await open(w, link, { headers: { "x-client-id": alice } })).status, 200);
});

test("a link expires, and a deleted task has no media", async () => {
  await withWorker(sim, "media-expiry", { MEDIA_TTL: "1", RATE_LIMIT: "off" }, async (w2, k) => {
    const c = clientId();
    const task = await finished(w2, c, t2v("short-lived"));
    assert.ok(task.proxy.expires_at <= Math.floor(Date.now() / 1000) + 1);
    await sleep(2100);
    const res = await open(w2, task.proxy.video_url);
    const body = await res.json();
    assert.equal(res.status, 403);
    assert.equal(body.error.code, "MediaLinkExpired");
    const gets = (await upstreamCalls(sim, k)).length;
    // A fresh GET signs a fresh link; once the task is deleted, it has no media.
    const fresh = await (await byId(w2, c, task.id)).json();
    const del = await byId(w2, c, task.id, "DELETE");
    assert.equal(del.status, 200);
    await del.text();
    const gone = await open(w2, fresh.proxy.video_url);
    assert.equal(gone.status, 404, await gone.clone().text());
    assert.equal((await gone.json()).error.code, "ResourceNotFound");
    assert.equal((await upstreamCalls(sim, k)).length, gets + 3, "GET, DELETE, and the media's lookup");
  });
});

test("with MEDIA_TTL=0 tasks carry no links and the route is 404", async () => {
  const w2 = await startWorker({ upstream: sim.api, vars: { SEEDANCE_API_KEY: key, RATE_LIMIT: "off", MEDIA_TTL: "0" } });
  try {
    const c = clientId();
    const task = await finished(w2, c, t2v("no links"));
    assert.equal(task.proxy, undefined);
    // The link the main Worker (same key, same secret) signs is refused here.
    const signed = await (await byId(w, c, task.id)).json();
    const res = await open(w2, signed.proxy.video_url);
    assert.equal(res.status, 404);
    await res.text();
  } finally {
    await w2.dispose();
  }
});
