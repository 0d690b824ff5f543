// Films, variations and batches in the playground against seedance-sim: what a user sees
// and what the server receives (creates counted in the simulator's log).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pageTests, apiRequests, creates, simPost, shot, rawId, PHONE, PROXY } from "../lib.mjs";

const env = pageTests();

/** Open one of the views of the nav. */
async function openView(page, name) {
  await page.getByRole("navigation", { name: "Views" }).getByRole("button", { name, exact: true }).click();
}

/** Wait until the simulator has received `n` creates; returns them. */
async function createsReach(n, timeout = 20000) {
  const end = Date.now() + timeout;
  for (;;) {
    const posts = await creates();
    if (posts.length >= n) return posts;
    if (Date.now() > end) throw new Error(`${posts.length} creates, waited for ${n}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function fillFilm(page, prompts) {
  for (let k = 0; k < prompts.length; k++) {
    if (k > 0) await page.getByRole("button", { name: "Add shot" }).click();
    await page.getByLabel(`Shot ${k + 1} prompt`).fill(prompts[k].text);
    await page.getByLabel(`Shot ${k + 1} duration`).selectOption(String(prompts[k].duration ?? 4));
    if (prompts[k].cut) await page.getByLabel(`Shot ${k + 1}: cut (a fresh start, not continuing)`).check();
  }
}

/** Play an MP4 file in a <video> of the page to its end; returns its duration. */
async function playsToEnd(page, file) {
  const b64 = fs.readFileSync(file).toString("base64");
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const v = document.createElement("video");
    v.muted = true;
    v.src = URL.createObjectURL(new Blob([bytes], { type: "video/mp4" }));
    document.body.append(v);
    await new Promise((ok, fail) => { v.onloadedmetadata = ok; v.onerror = () => fail(new Error("the film does not load")); });
    const duration = v.duration;
    v.currentTime = Math.max(0, duration - 0.5);
    const ended = new Promise((ok) => { v.onended = ok; });
    await v.play();
    await ended;
    v.remove();
    return duration;
  }, b64);
}

test("film: 3 shots (continue, continue, cut) run, play back to back, and join into a film.mp4 that plays to its end", async () => {
  const { context, page, errors } = await env.open();
  await openView(page, "Film");
  await fillFilm(page, [
    { text: "A fox wakes up in its den" },
    { text: "It steps out into the snow" },
    { text: "An owl watches from a pine", cut: true },
  ]);
  await page.getByText("3 shots, 12 s in all").waitFor();
  await shot(page, "film-desktop");
  await page.getByRole("button", { name: "Run film" }).click();
  for (let k = 1; k <= 3; k++) {
    await page.getByRole("img", { name: `Last frame of shot ${k}` }).waitFor({ timeout: 20000 });
  }
  const link = page.getByRole("link", { name: "Download film.mp4" });
  await link.waitFor({ timeout: 30000 });
  await shot(page, "film-done-desktop");
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  assert.equal(download.suggestedFilename(), "film.mp4");
  const file = path.join(env.tmp, "film.mp4");
  await download.saveAs(file);
  assert.equal(fs.readFileSync(file).subarray(4, 8).toString(), "ftyp");
  const duration = await playsToEnd(page, file);
  assert.ok(Math.abs(duration - 12) < 0.1, `the film lasts the sum of its shots: ${duration}`);

  const posts = await creates();
  assert.equal(posts.length, 3, "one create per shot");
  const byPrompt = (t) => posts.find((p) => p.body.content.some((c) => c.text === t));
  const [a, b, c] = ["A fox wakes up in its den", "It steps out into the snow", "An owl watches from a pine"].map(byPrompt);
  assert.equal(a.body.return_last_frame, true);
  const frameOf = (p) => p.body.content.find((c) => c.type === "image_url");
  assert.equal(frameOf(a), undefined);
  assert.equal(frameOf(b).role, "first_frame");
  assert.equal(frameOf(c), undefined, "a cut starts fresh");
  // Shot 2 starts from shot 1's last frame (the simulator names media by task id).
  const first = rawId(await page.locator(".jobs .job").nth(0).locator(".task-id").textContent());
  assert.equal(new URL(frameOf(b).image_url.url).pathname, `/tos/${first}.png`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("film: the finished shots play back to back while the others come", async () => {
  // The cut stays queued (the simulator's `[queued]`): shots 1 and 2 finish, it never does.
  const { context, page } = await env.open();
  await openView(page, "Film");
  await fillFilm(page, [
    { text: "A kite rises over a hill" },
    { text: "It catches the wind" },
    { text: "A lighthouse at dusk [queued]", cut: true },
  ]);
  await page.getByRole("button", { name: "Run film" }).click();
  const clip = page.getByTestId("chain-clip");
  await clip.filter({ hasText: "Clip 1 of 2" }).waitFor({ timeout: 60000 });
  const player = page.getByLabel("Chain player");
  const firstSrc = await player.evaluate((v) => v.currentSrc);
  // Play the first clip's last half second: the player goes on to the second by itself.
  await player.evaluate(async (v) => {
    v.muted = true;
    if (v.readyState < 1) await new Promise((ok) => v.addEventListener("loadedmetadata", ok, { once: true }));
    v.currentTime = Math.max(0, v.duration - 0.5);
    await v.play();
  });
  await clip.filter({ hasText: "Clip 2 of 2" }).waitFor({ timeout: 20000 });
  await page.waitForFunction((src) => {
    const v = document.querySelector('video[aria-label="Chain player"]');
    return v && v.currentSrc && v.currentSrc !== src && !v.paused;
  }, firstSrc);
  assert.equal(await page.getByRole("link", { name: "Download film.mp4" }).count(), 0, "shot 3 is still to come");
  await context.close();
});

test("film: a reload mid-film resumes without a new create", async () => {
  const { context, page } = await env.open();
  await openView(page, "Film");
  await fillFilm(page, [
    { text: "A paper boat on a stream [slow]" },
    { text: "It drifts under a bridge" },
    { text: "A heron lands [slow]", cut: true },
  ]);
  await page.getByRole("button", { name: "Run film" }).click();
  await createsReach(2); // shot 1 and the cut
  await page.reload();
  await openView(page, "Film");
  // The storyboard comes back, and the run goes on.
  assert.equal(await page.getByLabel("Shot 2 prompt").inputValue(), "It drifts under a bridge");
  await page.getByRole("link", { name: "Download film.mp4" }).waitFor({ timeout: 40000 });
  assert.equal((await creates()).length, 3, "resuming created no shot twice");
  await context.close();
});

// (Through "Your proxy" the clips come through its media links, which send CORS.)
test("film: where the result host sends no CORS, the page says so and plays the shots by URL", { skip: !!PROXY }, async () => {
  const { context, page } = await env.open();
  await page.route("**/tos/**", async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    // (Playwright adds a `*` to a fulfilled CORS answer that has none: name another site.)
    headers["access-control-allow-origin"] = "https://elsewhere.example";
    await route.fulfill({ response, headers });
  });
  await openView(page, "Film");
  await fillFilm(page, [{ text: "A kite over dunes" }]);
  await page.getByRole("button", { name: "Run film" }).click();
  const note = page.getByRole("status").filter({ hasText: "could not read" });
  await note.waitFor({ timeout: 20000 });
  assert.match(await note.textContent(), /no CORS headers.*"Your proxy"/);
  const player = page.locator('video[aria-label="Chain player"]');
  await player.waitFor();
  assert.match(await player.getAttribute("src"), /\/tos\/cgt-[^/]+\.mp4/, "played by URL");
  assert.equal(await page.getByRole("link", { name: "Download film.mp4" }).count(), 0);
  await page.getByRole("button", { name: "Resume" }).waitFor();
  await context.close();
});

test("film: shots are added, reordered with buttons and removed; problems sit beside their shot", async () => {
  const { context, page } = await env.open(PHONE);
  await openView(page, "Film");
  await page.getByLabel("Shot 1 prompt").fill("first");
  await page.getByRole("button", { name: "Add shot" }).click();
  await page.getByLabel("Shot 2 prompt").fill("second");
  await page.getByRole("button", { name: "Move shot 2 up" }).click();
  assert.equal(await page.getByLabel("Shot 1 prompt").inputValue(), "second");
  assert.equal(await page.getByLabel("Shot 2 prompt").inputValue(), "first");
  assert.equal(await page.getByRole("button", { name: "Move shot 1 up" }).isDisabled(), true);
  // Keyboard: focus the button and press Enter.
  await page.getByRole("button", { name: "Move shot 1 down" }).focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.getByLabel("Shot 1 prompt").inputValue(), "first");
  // A cut may take an image; a continued shot shows none.
  assert.equal(await page.getByLabel("Shot 2 first frame image").count(), 0);
  await page.getByLabel("Shot 2: cut (a fresh start, not continuing)").check();
  await page.getByLabel("Shot 2 first frame image").waitFor();
  // An image URL that can't be a first frame: its problem is beside shot 2, by its path.
  await page.getByLabel("Shot 2 first frame URL").fill("ftp://example.com/a.png");
  await page.locator(".shot", { hasText: "Shot 2" }).locator(".problem", { hasText: "shots[1].image" }).waitFor();
  await shot(page, "film-phone");
  await page.getByRole("button", { name: "Remove shot 2" }).click();
  assert.equal(await page.getByLabel("Shot 2 prompt").count(), 0);
  assert.equal((await apiRequests()).length, 0, "editing sends nothing");
  await context.close();
});

test("variations: 4 play side by side on a desktop and stacked on a phone, one audible at a time", async () => {
  const { context, page } = await env.open();
  await page.getByLabel("Prompt").fill("A lighthouse in a storm");
  await openView(page, "Variations");
  await page.getByText("4 videos · estimate").waitFor();
  await page.getByRole("button", { name: "Make variations" }).click();
  const videos = page.locator('video[aria-label^="Variation with seed"]');
  await page.waitForFunction(() => {
    const vs = [...document.querySelectorAll('video[aria-label^="Variation with seed"]')];
    return vs.length === 4 && vs.every((v) => v.readyState >= 2);
  }, null, { timeout: 20000 });
  const posts = await creates();
  assert.equal(posts.length, 4);
  assert.equal(new Set(posts.map((p) => p.body.seed)).size, 4, "four distinct seeds");
  const cards = page.getByRole("list", { name: "Variations" }).getByRole("listitem");
  const boxes = async () => Promise.all((await cards.all()).map((v) => v.boundingBox()));
  let b = await boxes();
  assert.equal(b.length, 4);
  assert.ok(b.every((x) => Math.abs(x.y - b[0].y) < 2), `one row on a desktop: ${JSON.stringify(b)}`);
  const v = await Promise.all((await videos.all()).map((x) => x.boundingBox()));
  assert.ok(v.every((x) => x.y + x.height <= 900 && x.width > 200), `every video in view: ${JSON.stringify(v)}`);
  assert.ok(b.every((x, i) => i === 0 || x.x > b[i - 1].x), "side by side");
  assert.ok(b.every((x) => x.x + x.width <= 1280), "all visible");
  const muted = () => page.evaluate(() => [...document.querySelectorAll('video[aria-label^="Variation with seed"]')].map((v) => v.muted));
  assert.deepEqual(await muted(), [true, true, true, true], "muted until chosen");
  const listen = page.getByRole("button", { name: /^Listen to seed/ });
  await listen.nth(1).click();
  assert.deepEqual(await muted(), [true, false, true, true]);
  await listen.nth(3).click();
  assert.deepEqual(await muted(), [true, true, true, false], "one audible at a time");
  // Unmuting another from its own controls mutes the chosen one.
  await page.evaluate(() => { document.querySelectorAll('video[aria-label^="Variation with seed"]')[0].muted = false; });
  await page.waitForFunction(() => [...document.querySelectorAll('video[aria-label^="Variation with seed"]')].filter((v) => !v.muted).length === 1);
  await shot(page, "variations-desktop");
  await page.setViewportSize(PHONE);
  await page.waitForFunction(() => {
    const vs = [...document.querySelectorAll('video[aria-label^="Variation with seed"]')].map((v) => v.getBoundingClientRect());
    return vs.every((r, i) => i === 0 || r.top > vs[i - 1].bottom);
  });
  b = await boxes();
  assert.ok(b.every((x) => Math.abs(x.x - b[0].x) < 2), "stacked on a phone");
  await shot(page, "variations-phone");
  // Keep: the chosen variation downloads.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: /^Keep seed/ }).first().click()]);
  assert.match(download.suggestedFilename(), /^seed-\d+\.mp4$/);
  // Continue from one: its last frame goes into the One video form.
  await page.getByRole("button", { name: /^Continue from seed/ }).first().click();
  await page.getByLabel("First frame URL", { exact: true }).waitFor();
  assert.match(await page.getByLabel("First frame URL", { exact: true }).inputValue(), /\/tos\/cgt-[^/]+\.png/);
  await context.close();
});

test("variations: a reload mid-run resumes them, and no seed is created twice", async () => {
  const { context, page } = await env.open();
  await page.getByLabel("Prompt").fill("A lighthouse in a storm [slow]");
  await openView(page, "Variations");
  await page.getByText("4 videos · estimate").waitFor();
  await page.getByRole("button", { name: "Make variations" }).click();
  await createsReach(3); // 3 at once: the 4th waits for a slot
  await page.reload();
  await openView(page, "Variations");
  await page.waitForFunction(() => {
    const vs = [...document.querySelectorAll('video[aria-label^="Variation with seed"]')];
    return vs.length === 4 && vs.every((v) => v.readyState >= 2);
  }, null, { timeout: 60000 });
  const posts = await creates();
  assert.equal(posts.length, 4, "one create per variation in all");
  assert.equal(new Set(posts.map((p) => p.body.seed)).size, 4, "four distinct seeds");
  await context.close();
});

test("batch: Cancel stops creating, deletes the queued tasks and names the running one", async () => {
  const { context, page } = await env.open();
  await openView(page, "Batch");
  const lines = ["A long take of a harbour [slow]", "", "queued one [queued]", "queued two [queued]", "  ", "never created [queued]", "never created either"];
  await page.getByLabel("Prompts, one per line").fill(lines.join("\n"));
  await page.getByText("5 videos · estimate").waitFor();
  await shot(page, "batch-desktop");
  await page.getByRole("button", { name: "Run batch" }).click();
  await createsReach(3);
  await page.getByRole("listitem", { name: "Job 1" }).getByTestId("job-status").filter({ hasText: "running" }).waitFor({ timeout: 20000 });
  const cancelAt = Date.now();
  await page.getByRole("button", { name: "Cancel" }).click();
  const note = page.getByRole("status").filter({ hasText: "Cancelled:" });
  await note.waitFor();
  assert.match(await note.textContent(), /2 queued task\(s\) deleted/);
  assert.match(await note.textContent(), /finish and are billed: job 1/);
  // The running one goes on to its end and is kept; the rest end cancelled.
  await page.getByRole("listitem", { name: "Job 1" }).getByTestId("job-status").filter({ hasText: "done" }).waitFor({ timeout: 20000 });
  await shot(page, "batch-cancelled-desktop");
  const reqs = await apiRequests();
  const posts = reqs.filter((r) => r.method === "POST");
  assert.equal(posts.length, 3, "no create after Cancel");
  assert.ok(posts.every((p) => p.time_ms <= cancelAt), "every create came before Cancel");
  assert.equal(reqs.filter((r) => r.method === "DELETE").length, 2, "the queued ones were deleted");
  for (const job of ["Job 2", "Job 3", "Job 4", "Job 5"]) {
    await page.getByRole("listitem", { name: job }).getByTestId("job-status").filter({ hasText: "cancelled" }).waitFor();
  }
  await context.close();
});

test("batch: Cancel while a create is on its way deletes that task too, once it is answered", async () => {
  const { context, page } = await env.open();
  // The simulator makes the task at once and answers 2.5 s later: Cancel lands in between.
  await simPost("/_sim/faults", { faults: ["slow=2500,on=create,times=1"] });
  await openView(page, "Batch");
  await page.getByLabel("Prompts, one per line").fill(["on its way at Cancel [queued]", "never created [queued]"].join("\n"));
  await page.getByText("2 videos · estimate").waitFor();
  await page.getByRole("button", { name: "Run batch" }).click();
  await page.getByRole("listitem", { name: "Job 1" }).getByTestId("job-status").filter({ hasText: "creating" }).waitFor();
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("status").filter({ hasText: "Cancelling: a create is on its way" }).waitFor();
  const note = page.getByRole("status").filter({ hasText: "Cancelled:" });
  await note.waitFor({ timeout: 20000 });
  assert.match(await note.textContent(), /1 queued task\(s\) deleted/);
  for (const job of ["Job 1", "Job 2"]) {
    await page.getByRole("listitem", { name: job }).getByTestId("job-status").filter({ hasText: "cancelled" }).waitFor();
  }
  const reqs = await apiRequests();
  assert.equal(reqs.filter((r) => r.method === "POST").length, 1, "no create after Cancel");
  assert.equal(reqs.filter((r) => r.method === "DELETE").length, 1, "the task whose create was on its way was deleted");
  await context.close();
});

test("batch: a reload mid-batch resumes, and no job is created twice", async () => {
  const { context, page } = await env.open(PHONE);
  await openView(page, "Batch");
  const prompts = ["one [slow]", "two [slow]", "three [slow]", "four", "five"];
  await page.getByLabel("Prompts, one per line").fill(prompts.join("\n"));
  await page.getByRole("button", { name: "Run batch" }).click();
  await createsReach(2);
  await page.reload();
  await openView(page, "Batch");
  for (let i = 1; i <= 5; i++) {
    await page.getByRole("listitem", { name: `Job ${i}` }).getByTestId("job-status").filter({ hasText: "done" }).waitFor({ timeout: 40000 });
  }
  await shot(page, "batch-phone");
  const posts = await creates();
  assert.equal(posts.length, 5, "each job created once");
  assert.deepEqual(posts.map((p) => p.body.content[0].text).sort(), [...prompts].sort());
  await context.close();
});

test("batch: a second tab of the same browser does not run the same journal", async () => {
  const { context, page } = await env.open();
  await openView(page, "Batch");
  const prompts = ["alpha [slow]", "beta [slow]", "gamma [slow]", "delta"];
  await page.getByLabel("Prompts, one per line").fill(prompts.join("\n"));
  await page.getByRole("button", { name: "Run batch" }).click();
  await createsReach(2);
  // The same browser profile opens the page again: it finds the unfinished journal, and
  // the tab that runs it holds it.
  const other = await context.newPage();
  await other.goto(env.site.url);
  await openView(other, "Batch");
  await other.getByRole("status").filter({ hasText: "goes on in another tab" }).waitFor({ timeout: 20000 });
  for (let i = 1; i <= 4; i++) {
    await page.getByRole("listitem", { name: `Job ${i}` }).getByTestId("job-status").filter({ hasText: "done" }).waitFor({ timeout: 40000 });
  }
  assert.equal((await creates()).length, 4, "each job created once, by one tab");
  await context.close();
});

test("the spend guard counts a whole run: the session budget and 1080p ask first, and a refusal sends nothing", async () => {
  const { context, page } = await env.open();
  await page.getByLabel("Model").selectOption({ label: "2.0 standard" });
  await page.getByLabel("Resolution").selectOption("1080p");
  await page.getByLabel("Session token budget").fill("400000");
  await openView(page, "Batch");
  await page.getByLabel("Prompts, one per line").fill("a canyon at dawn\na canyon at dusk");
  let asked = "";
  page.once("dialog", (d) => { asked = d.message(); d.dismiss(); });
  await page.getByRole("button", { name: "Run batch" }).click();
  assert.match(asked, /run of 2 task\(s\)/);
  assert.match(asked, /session budget: 0 spent \+ up to 490,050 > 400,000/);
  assert.match(asked, /1080p/);
  assert.equal((await apiRequests()).length, 0, "refused: nothing sent");
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Run batch" }).click();
  await createsReach(2);
  const posts = await creates();
  assert.ok(posts.every((p) => p.body.resolution === "1080p"));
  // What the run may cost is counted in the session's guard, back on the One video view.
  await openView(page, "One video");
  await page.getByText(/Asked for so far: [1-9][\d,]* tokens/).waitFor();
  await context.close();
});
