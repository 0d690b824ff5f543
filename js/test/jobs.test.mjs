// Batches and films through the npm package against seedance-sim: the account's limits,
// abort then resume from the journal the caller kept (creates counted in the simulator's
// log), one failing job, and a film whose continued shots start from the last frame.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SeedanceClient } from "seedance";
import { concatMp4 } from "seedance/mp4";
import { startSim } from "./sim.mjs";

const FAST = "doubao-seedance-2-0-fast-260128";
let sim;
before(async () => {
  sim = await startSim();
});
after(() => sim.stop());

let n = 0;
function client() {
  const apiKey = `sk-seedance-canary-jobs-${process.pid}-${++n}`;
  return { c: new SeedanceClient({ apiKey, baseUrl: sim.api, allowHttp: true }), apiKey };
}

const creates = async (key) =>
  (await sim.requests(key)).filter((e) => e.method === "POST" && e.path.endsWith("/tasks"));

function requests(count, extra = (i) => ({})) {
  return Array.from({ length: count }, (_, i) => ({
    name: `take-${i + 1}`,
    model: FAST,
    content: [{ type: "text", text: `waves, take ${i + 1}` }],
    resolution: "480p",
    ratio: "16:9",
    duration: 4,
    generate_audio: false,
    ...extra(i),
  }));
}

/** The most of `key`'s tasks between create and a final status at one time (simulator's timeline). */
async function mostAtOnce(key) {
  const edges = [];
  for (const t of await sim.tasks(key)) {
    edges.push([t.created_at_ms, 1], [t.finished_at_ms ?? Number.MAX_SAFE_INTEGER, -1]);
  }
  // [created, finished): an end and a start at one instant do not overlap.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0, most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}

test("a 12-job batch keeps to concurrency 3 on the server's own timeline and resolves to one result per job, a failure among them", async () => {
  // The simulator runs with no account cap here: only the client holds the line.
  const { c, apiKey } = client();
  const seen = [];
  const results = await c.batch(
    requests(12, (i) => (i === 2 ? { content: [{ type: "text", text: "a storm [fail]" }] } : {})),
    {
      concurrency: 3,
      pollIntervalMs: 100,
      onProgress: (p) => seen.push(p.kind),
    },
  );
  assert.equal(results.length, 12);
  assert.equal(results.exitCode, 1);
  assert.equal(await mostAtOnce(apiKey), 3, "never more than 3 of our tasks between create and final status");
  assert.equal(results[2].state, "failed");
  assert.equal(results[2].name, "take-3");
  assert.match(results[2].error.code, /\w/);
  for (const r of results.filter((r) => r.state !== "failed")) {
    assert.equal(r.state, "downloaded");
    const direct = new Uint8Array(await (await fetch(r.task.content.video_url)).arrayBuffer());
    assert.deepEqual(r.video, direct, `${r.key}: the simulator's MP4 for ${r.taskId}`);
  }
  assert.equal((await creates(apiKey)).length, 12);
  assert.ok(seen.includes("creating") && seen.includes("downloaded"));
  // No name is ever sent.
  for (const e of await creates(apiKey)) assert.ok(!e.body.name);
});

test("abort mid-batch, then the kept journal resumes it with no create twice", async () => {
  const { c, apiKey } = client();
  let journal;
  const controller = new AbortController();
  const first = c.batch(requests(5), {
    concurrency: 2,
    pollIntervalMs: 100,
    signal: controller.signal,
    onJournal: (j) => {
      journal = j;
      if (j.jobs.filter((x) => x.task_id).length >= 2) controller.abort();
    },
  });
  const err = await first.then(
    () => assert.fail("aborted"),
    (e) => e,
  );
  assert.equal(err.name, "AbortError");
  const made = (await creates(apiKey)).length;
  assert.ok(made >= 2 && made < 5, `${made} creates before the abort`);
  const files = [];
  const results = await c.batch(requests(5), {
    concurrency: 2,
    pollIntervalMs: 100,
    journal,
    onResult: (r) => files.push(r.key),
  });
  assert.equal(results.exitCode, 0);
  assert.equal((await creates(apiKey)).length, 5, "exactly one create per job in all");
  assert.equal(new Set(results.map((r) => r.taskId)).size, 5);
  assert.equal(files.length, 5);
  assert.ok(results.every((r) => r.video === undefined), "onResult took the videos");
});

test("abort with cancelQueued while a create is on its way: that task is recorded, then deleted; nothing more is created", async () => {
  const { c, apiKey } = client();
  let journal;
  const controller = new AbortController();
  // The simulator makes the first task at once and answers 1.5 s later: the abort lands
  // in between. `[queued]` keeps the tasks queued, so cancelling them is free.
  await sim.faults(["slow=1500,on=create,times=1"]);
  const run = c.batch(requests(3, (i) => ({ content: [{ type: "text", text: `take ${i + 1} [queued]` }] })), {
    pollIntervalMs: 100,
    signal: controller.signal,
    cancelQueued: true,
    onJournal: (j) => (journal = j),
    onProgress: (p) => {
      if (p.kind === "creating") controller.abort();
    },
  });
  const err = await run.then(
    () => assert.fail("aborted"),
    (e) => e,
  );
  await sim.clearFaults();
  assert.equal(err.name, "AbortError");
  const log = await sim.requests(apiKey);
  assert.equal((await creates(apiKey)).length, 1, "nothing created after the abort");
  const deletes = log.filter((e) => e.method === "DELETE");
  assert.equal(deletes.length, 1, "the task whose create was on its way was deleted");
  const made = journal.jobs.filter((j) => j.task_id);
  assert.equal(made.length, 1, "the journal knows the task");
  assert.ok(deletes[0].path.endsWith(`/${made[0].task_id}`));
  assert.ok(journal.jobs.every((j) => j.state !== "creating"), "no job left creating");
});

test("an abort while the caller is saving a 'creating' journal sends nothing and the kept journal says pending", async () => {
  const { c, apiKey } = client();
  let journal;
  const controller = new AbortController();
  const run = c.batch(requests(2), {
    pollIntervalMs: 100,
    signal: controller.signal,
    // A slow store (IndexedDB, a file): the abort comes while it saves the entry written
    // before the first POST.
    onJournal: async (j) => {
      journal = j;
      if (j.jobs.some((x) => x.state === "creating")) {
        controller.abort();
        await new Promise((r) => setTimeout(r, 300));
      }
    },
  });
  const err = await run.then(
    () => assert.fail("aborted"),
    (e) => e,
  );
  assert.equal(err.name, "AbortError");
  assert.equal((await creates(apiKey)).length, 0, "nothing was sent");
  assert.ok(journal.jobs.every((j) => j.state === "pending"), JSON.stringify(journal.jobs.map((j) => j.state)));
  // So the kept journal resumes by creating each job once.
  const results = await c.batch(requests(2), { pollIntervalMs: 100, journal });
  assert.equal(results.exitCode, 0);
  assert.equal((await creates(apiKey)).length, 2);
});

test("a cap below the worst case sends nothing", async () => {
  const { c, apiKey } = client();
  const err = await c.batch(requests(3), { maxTokens: 1000 }).then(
    () => assert.fail("refused"),
    (e) => e,
  );
  assert.equal(err.name, "SeedanceValidationError");
  assert.equal(err.issues[0].field, "maxTokens");
  assert.match(err.message, /nothing was sent/);
  assert.equal((await creates(apiKey)).length, 0);
});

test("a film's continued shots start from the previous task's last frame", async () => {
  const { c, apiKey } = client();
  const plan = {
    model: FAST,
    resolution: "480p",
    ratio: "16:9",
    generate_audio: false,
    shots: [
      { prompt: "a fox wakes in its den", duration: 4 },
      { prompt: "it steps out into the snow", duration: 4 },
      { prompt: "an owl on a pine", duration: 4, cut: true },
    ],
  };
  const shots = await c.film(plan, { pollIntervalMs: 100 });
  assert.equal(shots.exitCode, 0);
  assert.deepEqual(
    shots.map((s) => s.key),
    ["shots[0]", "shots[1]", "shots[2]"],
  );
  const bodies = (await creates(apiKey)).map((e) => e.body);
  assert.equal(bodies.length, 3);
  const second = bodies.find((b) => b.content.some((c) => c.text === "it steps out into the snow"));
  const frame = second.content.find((c) => c.role === "first_frame").image_url.url;
  assert.ok(frame.includes("/tos/"), frame);
  assert.equal(bodies[0].return_last_frame, true);
  assert.ok(shots.every((s) => s.video instanceof Uint8Array && s.video.length > 1000));
  assert.ok(shots[0].lastFrame instanceof Uint8Array);
  // The clips join into one film (seedance/mp4) as long as the shots, and it decodes clean.
  const dir = mkdtempSync(path.join(tmpdir(), "film-"));
  try {
    const file = path.join(dir, "film.mp4");
    writeFileSync(file, concatMp4(shots.map((s) => s.video)));
    const probe = (args) => execFileSync("ffprobe", ["-v", "error", ...args, file], { encoding: "utf8" }).trim();
    assert.ok(Math.abs(Number(probe(["-show_entries", "format=duration", "-of", "csv=p=0"])) - 12) <= 3 / 24, "4 + 4 + 4 s");
    const decode = spawnSync("ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"], { encoding: "utf8" });
    assert.equal(decode.status, 0);
    assert.equal(decode.stderr, "", "ffmpeg decodes the film without a word");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // An image on a continued shot is refused before anything is sent.
  const bad = { ...plan, shots: [plan.shots[0], { ...plan.shots[1], image: "https://x/a.png" }] };
  const err = await c.film(bad).then(
    () => assert.fail("refused"),
    (e) => e,
  );
  assert.equal(err.name, "SeedanceValidationError");
  assert.equal(err.issues[0].field, "shots[1].image");
  assert.equal((await creates(apiKey)).length, 3);
});
