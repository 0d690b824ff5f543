// The npm package against seedance-sim: every method, every error, aborts, progress and
// data URLs. Assertions come from what the package returns and from the simulator's request
// log; expected request bodies are hand-written JSON.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import {
  SeedanceClient,
  validateRequest,
  estimateCost,
  toDataUrl,
  textToVideo,
  firstFrame,
  firstLastFrame,
  reference,
} from "seedance";
import { startSim, fastPoll, sleep, pngBytes } from "./sim.mjs";

const FAST = "doubao-seedance-2-0-fast-260128";
let sim;
before(async () => {
  sim = await startSim();
});
after(() => sim.stop());

let n = 0;
function client(extra = {}) {
  const apiKey = `sk-seedance-canary-js-${process.pid}-${++n}`;
  const c = new SeedanceClient({ apiKey, baseUrl: sim.api, allowHttp: true, poll: fastPoll, ...extra });
  return { c, apiKey };
}

async function rejects(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("expected a rejection");
}

test("builders make the API's JSON", () => {
  assert.deepEqual(textToVideo(FAST, "waves"), {
    model: FAST,
    content: [{ type: "text", text: "waves" }],
    generate_audio: true,
  });
  assert.deepEqual(firstFrame(FAST, "https://x/a.png", "zoom"), {
    model: FAST,
    content: [
      { type: "text", text: "zoom" },
      { type: "image_url", image_url: { url: "https://x/a.png" }, role: "first_frame" },
    ],
    generate_audio: true,
  });
  assert.deepEqual(firstLastFrame(FAST, "https://x/a.png", "https://x/b.png").content.map((c) => c.role), [
    "first_frame",
    "last_frame",
  ]);
  assert.deepEqual(
    reference(FAST, "p", { images: ["https://x/a.png"], videos: ["asset://v"], audios: ["https://x/a.mp3"] }).content.map(
      (c) => c.role ?? c.type,
    ),
    ["text", "reference_image", "reference_video", "reference_audio"],
  );
});

test("validateRequest lists every problem with field, given and allowed", () => {
  const v = validateRequest({ ...textToVideo(FAST, "x"), resolution: "1080p", duration: 20 });
  assert.equal(v.ok, false);
  assert.equal(v.mode, "text_to_video");
  assert.deepEqual(
    v.issues.map((i) => [i.field, i.given]),
    [
      ["resolution", '"1080p" on doubao-seedance-2-0-fast-260128'],
      ["duration", "20"],
    ],
  );
  assert.match(v.issues[1].allowed, /4\.\.=15/);
  assert.equal(validateRequest(textToVideo(FAST, "x")).ok, true);
  // Limits can be changed per call.
  const http = firstFrame(FAST, "http://127.0.0.1/a.png");
  assert.equal(validateRequest(http).ok, false);
  assert.equal(validateRequest(http, { allow_http: true }).ok, true);
});

test("estimateCost matches the real sample and prices", () => {
  const e = estimateCost({ ...textToVideo(FAST, "x"), resolution: "720p", ratio: "16:9", duration: 5 });
  assert.equal(e.tokens_max, 108900);
  assert.equal(e.price, null);
  const priced = estimateCost({ ...textToVideo(FAST, "x"), duration: -1 }, {
    currency: "CNY",
    prices: [{ per_million_tokens: 46 }],
  });
  assert.equal(priced.tokens_min, 97 * 900);
  assert.equal(priced.tokens_max, 361 * 900);
  assert.equal(priced.price.currency, "CNY");
  assert.ok(Math.abs(priced.price.max - 0.3249 * 46) < 1e-9);
});

test("toDataUrl encodes Blobs, Files, arrays and buffers", async () => {
  const bytes = pngBytes(400, 300);
  const expected = "data:image/png;base64," + Buffer.from(bytes).toString("base64");
  assert.equal(await toDataUrl(new Blob([bytes])), expected);
  assert.equal(await toDataUrl(new File([bytes], "a.png")), expected);
  assert.equal(await toDataUrl(bytes), expected);
  assert.equal(await toDataUrl(bytes.buffer), expected);
  assert.equal(await toDataUrl(new Uint8Array([1, 2, 3]), "application/octet-stream"), "data:application/octet-stream;base64,AQID");
  const err = await rejects(toDataUrl(new Blob(["not an image"])));
  assert.equal(err.name, "SeedanceValidationError");
  assert.match(err.message, /not a PNG, JPEG/);
  assert.equal((await rejects(toDataUrl("a string"))).name, "SeedanceValidationError");
});

test("generate: the id first, then progress in order, then the task", async () => {
  const { c, apiKey } = client();
  const png = await toDataUrl(new Blob([pngBytes(640, 480)]));
  const events = [];
  const task = await c.generate(
    { ...firstFrame(FAST, png, "pull back"), generate_audio: false, seed: 7 },
    { onTaskCreated: (id) => events.push(`created:${id}`), onProgress: (p) => events.push(p) },
  );
  assert.equal(task.status, "succeeded");
  assert.equal(task.ratio, "4:3", "adaptive resolved from the 640×480 image");
  assert.ok(task.usage.completion_tokens > 100000);
  assert.equal(events[0], `created:${task.id}`);
  const polls = events.slice(1);
  assert.ok(polls.length >= 2);
  assert.deepEqual(polls.map((p) => p.polls), polls.map((_, i) => i + 1));
  assert.ok(polls.every((p) => p.taskId === task.id && p.error === null));
  assert.equal(polls.at(-1).status, "succeeded");
  assert.equal(polls.at(-1).nextPollInMs, null);
  assert.ok(polls.slice(0, -1).every((p) => typeof p.nextPollInMs === "number"));

  const log = await sim.requests(apiKey);
  const posts = log.filter((e) => e.method === "POST");
  assert.equal(posts.length, 1);
  assert.deepEqual(posts[0].body, {
    model: FAST,
    content: [
      { type: "text", text: "pull back" },
      { type: "image_url", image_url: { url: png }, role: "first_frame" },
    ],
    generate_audio: false,
    seed: 7,
  });
  assert.ok(log.every((e) => e.headers.authorization === `Bearer ${apiKey}`));

  const video = await c.fetchBytes(task.content.video_url);
  assert.ok(video instanceof Uint8Array);
  assert.equal(Buffer.from(video.subarray(4, 8)).toString(), "ftyp");
  const media = (await sim.requests()).filter((e) => e.path.startsWith("/tos/"));
  assert.ok(media.length >= 1 && media.every((e) => !("authorization" in e.headers)));
});

test("createTask, getTask, listTasks, waitForTask, deleteTask, findRecent", async () => {
  const { c } = client();
  const a = await c.createTask(textToVideo(FAST, "one"));
  const b = await c.createTask(textToVideo(FAST, "[queued] two"), { idempotencyKey: "js-key-1" });
  assert.match(a.id, /^cgt-\d{14}-[a-z0-9]{5}$/);
  const got = await c.getTask(b.id);
  assert.equal(got.id, b.id);
  assert.equal(got.status, "queued");
  const list = await c.listTasks({ pageSize: 10 });
  assert.equal(list.total, 2);
  assert.deepEqual(list.items.map((t) => t.id), [b.id, a.id]);
  assert.deepEqual((await c.listTasks({ taskIds: [a.id] })).items.map((t) => t.id), [a.id]);
  const done = await c.waitForTask(a.id);
  assert.equal(done.status, "succeeded");
  await c.deleteTask(b.id);
  assert.equal((await c.getTask(b.id)).status, "cancelled");
  const recent = await c.findRecent({ model: FAST });
  assert.deepEqual(recent.map((t) => t.id).sort(), [a.id, b.id].sort());
});

test("SeedanceValidationError: nothing is sent", async () => {
  const { c, apiKey } = client();
  const err = await rejects(c.createTask({ ...textToVideo(FAST, "x"), duration: 99, ratio: "5:4" }));
  assert.equal(err.name, "SeedanceValidationError");
  assert.ok(err instanceof Error);
  assert.deepEqual(err.issues.map((i) => i.field), ["ratio", "duration"]);
  assert.equal(err.retryable, false);
  const shape = await rejects(c.createTask({ content: [] }));
  assert.equal(shape.name, "SeedanceValidationError");
  assert.match(shape.message, /missing field `model`/);
  assert.equal((await sim.requests(apiKey)).length, 0);
  assert.throws(() => new SeedanceClient({ apiKey: "sk bad key" }), (e) => e.name === "SeedanceValidationError");
  assert.throws(() => new SeedanceClient({ baseUrl: "ftp://x" }), /base_url/);
});

test("SeedanceApiError carries status, code and request id", async () => {
  const c = new SeedanceClient({ apiKey: "no-sk-prefix", baseUrl: sim.api, poll: fastPoll });
  const err = await rejects(c.getTask("cgt-20260101000000-aaaaa"));
  assert.equal(err.name, "SeedanceApiError");
  assert.equal(err.status, 401);
  assert.equal(err.code, "AuthenticationError");
  assert.equal(typeof err.requestId, "string");
  assert.equal(err.taskId, "cgt-20260101000000-aaaaa");
  const { c: ok } = client();
  const missing = await rejects(ok.getTask("cgt-20260101000000-nope0"));
  assert.equal(missing.status, 404);
  const noChannel = new SeedanceClient({ apiKey: "sk-no-channel", baseUrl: sim.api });
  const nc = await rejects(noChannel.createTask(textToVideo(FAST, "x")));
  assert.equal(nc.name, "SeedanceApiError");
  assert.match(nc.message, /SeeDance2 group/);
});

test("SeedanceTaskFailedError and SeedanceTimeoutError keep the task id", async () => {
  const { c } = client();
  const ids = [];
  const failed = await rejects(c.generate(textToVideo(FAST, "[fail] x"), { onTaskCreated: (id) => ids.push(id) }));
  assert.equal(failed.name, "SeedanceTaskFailedError");
  assert.equal(failed.code, "OutputVideoSensitiveContentDetected");
  assert.equal(failed.taskId, ids[0]);
  assert.equal(failed.task.status, "failed");
  assert.equal(failed.taskStatus, "failed");

  const q = await c.createTask(textToVideo(FAST, "[queued] forever"));
  const timeout = await rejects(c.waitForTask(q.id, { timeoutMs: 400 }));
  assert.equal(timeout.name, "SeedanceTimeoutError");
  assert.equal(timeout.taskId, q.id);
  assert.ok(timeout.polls >= 1);
  await c.deleteTask(q.id);
});

test("SeedanceOutcomeUnknownError: one POST, and findRecent finds the task", async () => {
  const { c, apiKey } = client({ timeoutMs: 1000 });
  await sim.faults(["slow=3000,times=1,on=create"]);
  const err = await rejects(c.createTask(textToVideo(FAST, "late answer")));
  await sim.clearFaults();
  assert.equal(err.name, "SeedanceOutcomeUnknownError");
  assert.equal(err.model, FAST);
  assert.equal(typeof err.sentAt, "number");
  assert.equal(err.retryable, false);
  assert.equal((await sim.requests(apiKey)).filter((e) => e.method === "POST").length, 1);
  await sleep(2500); // the simulator finishes the slow create
  const found = await c.findRecent(err);
  assert.equal(found.length, 1);
});

test("SeedanceNotCancellableError for a running task", async () => {
  const { c } = client();
  const t = await c.createTask(textToVideo(FAST, "[slow] takes a while"));
  while ((await c.getTask(t.id)).status !== "running") await sleep(100);
  const err = await rejects(c.deleteTask(t.id));
  assert.equal(err.name, "SeedanceNotCancellableError");
  assert.equal(err.taskId, t.id);
  assert.equal(err.taskStatus, "running");
});

test("SeedanceNetworkError and SeedanceUnsupportedError", async () => {
  // A port where nothing listens.
  const dead = http.createServer();
  await new Promise((r) => dead.listen(0, "127.0.0.1", r));
  const port = dead.address().port;
  await new Promise((r) => dead.close(r));
  const c = new SeedanceClient({ apiKey: "sk-x", baseUrl: `http://127.0.0.1:${port}/api/v3` });
  const net = await rejects(c.getTask("cgt-1"));
  assert.equal(net.name, "SeedanceNetworkError");
  assert.equal(net.taskId, "cgt-1");
  assert.equal(net.retryable, true);

  // A reseller-like host without the list route: plain 404 text.
  const bare = http.createServer((req, res) => res.writeHead(404, { "content-type": "text/plain" }).end("404 page not found"));
  await new Promise((r) => bare.listen(0, "127.0.0.1", r));
  const c2 = new SeedanceClient({ apiKey: "sk-x", baseUrl: `http://127.0.0.1:${bare.address().port}/api/v3` });
  const unsupported = await rejects(c2.listTasks());
  bare.close();
  assert.equal(unsupported.name, "SeedanceUnsupportedError");
  assert.equal(unsupported.status, 404);
});

test("abort before the call: rejects with AbortError and sends nothing", async () => {
  const { c, apiKey } = client();
  const ac = new AbortController();
  ac.abort();
  for (const call of [
    () => c.createTask(textToVideo(FAST, "x"), { signal: ac.signal }),
    () => c.generate(textToVideo(FAST, "x"), { signal: ac.signal }),
    () => c.getTask("cgt-1", { signal: ac.signal }),
    () => c.listTasks({}, { signal: ac.signal }),
  ]) {
    const err = await rejects(call());
    assert.equal(err.name, "AbortError");
  }
  assert.equal((await sim.requests(apiKey)).length, 0);
});

test("abort during polling: rejects with the task id, then no request for it", async () => {
  const { c, apiKey } = client();
  const ac = new AbortController();
  let id;
  const p = c.generate(textToVideo(FAST, "[queued] wait for me"), {
    signal: ac.signal,
    onTaskCreated: (t) => (id = t),
    onProgress: (pr) => pr.polls === 2 && ac.abort(),
  });
  const err = await rejects(p);
  assert.equal(err.name, "AbortError");
  assert.equal(err.taskId, id);
  const before = (await sim.requests(apiKey)).length;
  await sleep(800); // several poll intervals
  assert.equal((await sim.requests(apiKey)).length, before, "no request after the abort");
  await c.deleteTask(id);
});

test("abort during a backoff: rejects without waiting for the retry timer", async () => {
  const { c, apiKey } = client({ poll: { ...fastPoll, retryBaseMs: 5000 } });
  const t = await c.createTask(textToVideo(FAST, "[queued] backoff"));
  await sim.faults(["503,on=task"]);
  const ac = new AbortController();
  const p = c.waitForTask(t.id, {
    signal: ac.signal,
    onProgress: (pr) => pr.error && setTimeout(() => ac.abort(), 50),
  });
  // Whichever settles first: the rejection (the timer was dropped) or the 5 s backoff.
  const first = await Promise.race([p.then(() => "resolved", (e) => e.name), sleep(4000).then(() => "timer")]);
  await sim.clearFaults();
  assert.equal(first, "AbortError");
  const gets = (await sim.requests(apiKey)).filter((e) => e.path.endsWith(t.id));
  assert.equal(gets.length, 1, "the retry after the backoff never happened");
  await c.deleteTask(t.id);
});

test("cancelOnAbort deletes a queued task", async () => {
  const { c } = client();
  const ac = new AbortController();
  let id;
  const p = c.generate(textToVideo(FAST, "[queued] cancel me"), {
    signal: ac.signal,
    cancelOnAbort: true,
    onTaskCreated: (t) => (id = t),
    onProgress: () => ac.abort(),
  });
  await rejects(p);
  let status;
  for (let i = 0; i < 50 && status !== "cancelled"; i++) {
    status = (await c.getTask(id)).status;
    await sleep(50);
  }
  assert.equal(status, "cancelled");
});

test("a proxy client sends no key but its headers", async () => {
  const c = new SeedanceClient({ baseUrl: sim.api, headers: { "X-Client-Id": "visitor-9" } });
  const err = await rejects(c.getTask("cgt-1"));
  assert.equal(err.status, 401);
  const last = (await sim.requests()).at(-1);
  assert.equal(last.headers["x-client-id"], "visitor-9");
  assert.equal(last.headers.authorization, undefined);
});
