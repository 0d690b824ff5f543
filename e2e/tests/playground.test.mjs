// The playground against seedance-sim: what a user sees and what the server receives.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import {
  pageTests, resetSim, apiRequests, creates, simPost, shot, png, videoPlays, rawId, PHONE, DESKTOP, SIM,
} from "../lib.mjs";

const env = pageTests();

test("text to video: the task id appears, then a video that plays", async () => {
  const { context, page, errors } = await env.open();
  await shot(page, "idle-desktop");
  await page.getByLabel("Prompt").fill("A drone shot over an autumn valley [slow]");
  await page.getByRole("button", { name: "Generate" }).click();
  const id = page.getByTestId("task-id");
  await id.waitFor();
  assert.match(await id.textContent(), /^cgt-/);
  await page.getByTestId("status").filter({ hasText: /queued|running/ }).waitFor();
  await shot(page, "running-desktop");
  const v = await videoPlays(page);
  assert.ok(v.readyState >= 2 && v.duration > 0, JSON.stringify(v));
  assert.equal(await page.getByTestId("status").textContent(), "succeeded");
  await page.getByText("The link expires in").waitFor();
  await shot(page, "result-desktop");
  const posts = await creates();
  assert.equal(posts.length, 1);
  const body = posts[0].body;
  assert.equal(body.model, "doubao-seedance-2-0-fast-260128");
  assert.equal(body.generate_audio, true, "audio is on by default and always sent");
  assert.deepEqual(body.content, [{ type: "text", text: "A drone shot over an autumn valley [slow]" }]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("phone size: idle, running, result and error screens", async () => {
  const { context, page } = await env.open(PHONE);
  await shot(page, "idle-phone");
  await page.getByLabel("Prompt").fill("Waves at dusk [slow]");
  await page.getByRole("button", { name: "Generate" }).click();
  await page.getByTestId("status").filter({ hasText: /queued|running/ }).waitFor();
  await shot(page, "running-phone");
  await videoPlays(page);
  await shot(page, "result-phone");
  await page.getByLabel("Prompt").fill("Waves at dusk [fail]");
  await page.getByRole("button", { name: "Generate" }).click();
  await page.getByTestId("error-code").waitFor();
  await shot(page, "error-phone");
  await context.close();
});

test("validation blocks an invalid request with a message by the field, and nothing is sent", async () => {
  const { context, page } = await env.open();
  // 1080p is offered only on the standard model, and says why.
  const p1080 = page.getByLabel("Resolution").locator('option[value="1080p"]');
  assert.equal(await p1080.isDisabled(), true);
  await page.getByText("1080p needs the standard model").waitFor();
  await page.getByLabel("Prompt").fill("a fox in the snow");
  await page.getByLabel("Seed").fill("12abc");
  const seedProblem = page.locator("#seed-problems li");
  await seedProblem.waitFor();
  assert.match(await seedProblem.textContent(), /not a whole number/);
  await page.getByLabel("Seed").fill("99999999999");
  await page.locator("#seed-problems li", { hasText: "4294967295" }).waitFor();
  await page.getByRole("button", { name: "Generate" }).click();
  // An empty prompt too: the message appears by the prompt once Generate was pressed.
  await page.getByLabel("Seed").fill("");
  await page.getByLabel("Prompt").fill("   ");
  await page.getByRole("button", { name: "Generate" }).click();
  await page.locator("#prompt-problems li", { hasText: "prompt" }).waitFor();
  assert.equal(await page.getByTestId("task-id").count(), 0);
  assert.equal((await apiRequests()).length, 0, "no API request reached the simulator");
  await context.close();
});

test("a failed task shows its code in plain words", async () => {
  const { context, page } = await env.open();
  await page.getByLabel("Prompt").fill("A crowd scene [fail]");
  await page.getByRole("button", { name: "Generate" }).click();
  const code = page.getByTestId("error-code");
  await code.waitFor();
  assert.equal(await code.textContent(), "OutputVideoSensitiveContentDetected");
  await page.getByRole("alert").filter({ hasText: "moderation" }).waitFor();
  await shot(page, "error-desktop");
  await context.close();
});

test("first + last frame: two uploaded images reach the simulator as data URLs of their bytes", async () => {
  const first = path.join(env.tmp, "first.png");
  const last = path.join(env.tmp, "last.png");
  fs.writeFileSync(first, png(640, 360, 1));
  fs.writeFileSync(last, png(640, 360, 2));
  const { context, page } = await env.open();
  await page.getByRole("tab", { name: "First + last frame" }).click();
  await page.getByLabel("First frame image").setInputFiles(first);
  await page.getByLabel("Last frame image").setInputFiles(last);
  await page.getByText("first.png").waitFor();
  await page.getByText("last.png").waitFor();
  assert.equal(await page.getByText("640×360 px").count(), 2);
  await page.getByLabel("Prompt (optional)").fill("the light changes");
  await page.getByRole("button", { name: "Generate" }).click();
  await videoPlays(page);
  const [post] = await creates();
  const images = post.body.content.filter((c) => c.type === "image_url");
  assert.deepEqual(images.map((c) => c.role), ["first_frame", "last_frame"]);
  assert.equal(images[0].image_url.url, "data:image/png;base64," + fs.readFileSync(first).toString("base64"));
  assert.equal(images[1].image_url.url, "data:image/png;base64," + fs.readFileSync(last).toString("base64"));
  await context.close();
});

test("reference mode with 9 images", async () => {
  const files = Array.from({ length: 9 }, (_, i) => {
    const f = path.join(env.tmp, `ref${i + 1}.png`);
    fs.writeFileSync(f, png(400, 400, i + 3));
    return f;
  });
  const { context, page } = await env.open();
  await page.getByRole("tab", { name: "Reference" }).click();
  await page.getByLabel("Reference images (up to 9)").setInputFiles(files);
  await page.getByText("ref9.png").waitFor();
  await page.getByLabel("Prompt").fill("the cat from image 1 walks through the rooms of images 2 to 9");
  await page.getByRole("button", { name: "Generate" }).click();
  await videoPlays(page);
  const [post] = await creates();
  const images = post.body.content.filter((c) => c.type === "image_url");
  assert.equal(images.length, 9);
  assert.ok(images.every((c) => c.role === "reference_image"));
  images.forEach((c, i) =>
    assert.equal(c.image_url.url, "data:image/png;base64," + fs.readFileSync(files[i]).toString("base64")));
  await context.close();
});

test("continue from last frame: the next task starts from the previous task's last frame", async () => {
  const { context, page } = await env.open();
  await page.getByLabel("Prompt").fill("A paper boat on a stream");
  await page.getByLabel("Return last frame (to continue from it)").check();
  await page.getByRole("button", { name: "Generate" }).click();
  await videoPlays(page);
  const shownFirst = await page.getByTestId("task-id").textContent();
  const firstId = rawId(shownFirst);
  await page.getByRole("button", { name: "Continue from last frame" }).click();
  await page.waitForFunction((prev) => {
    const el = document.querySelector('[data-testid="task-id"]');
    return el && el.textContent !== prev;
  }, shownFirst);
  await videoPlays(page);
  const posts = await creates();
  assert.equal(posts.length, 2);
  const frame = posts[1].body.content.find((c) => c.type === "image_url");
  assert.equal(frame.role, "first_frame");
  const url = new URL(frame.image_url.url);
  assert.equal(url.pathname, `/tos/${firstId}.png`, "the simulator stamps each task's media with its id");
  assert.equal(posts[1].body.return_last_frame, true);

  // The two clips play back to back in the chain player: clip 1, then clip 2 when it ends.
  const secondId = rawId(await page.getByTestId("task-id").textContent());
  await page.getByText("Chain of 2 clips").waitFor();
  const chainSrc = () => page.evaluate(() => document.querySelector('video[aria-label="Chain player"]').currentSrc);
  await page.getByRole("button", { name: "Play the chain" }).click();
  assert.match(await chainSrc(), new RegExp(`/tos/${firstId}\\.mp4`));
  await page.getByTestId("chain-clip").filter({ hasText: "Clip 1 of 2" }).waitFor();
  // Skip to the end of clip 1 (as a user dragging the bar would) rather than wait 3 s.
  await page.waitForFunction(() => document.querySelector('video[aria-label="Chain player"]').duration > 0);
  await page.evaluate(() => {
    const v = document.querySelector('video[aria-label="Chain player"]');
    v.currentTime = v.duration - 0.2;
  });
  await page.getByTestId("chain-clip").filter({ hasText: "Clip 2 of 2" }).waitFor();
  assert.match(await chainSrc(), new RegExp(`/tos/${secondId}\\.mp4`));
  await page.waitForFunction(() => {
    const v = document.querySelector('video[aria-label="Chain player"]');
    return !v.paused && v.currentTime > 0 && v.readyState >= 2;
  }, null, { timeout: 10000 });
  await context.close();
});

test("download: the button saves the video; a host without CORS gets a link that opens it", async () => {
  const { context, page } = await env.open();
  await page.getByLabel("Prompt").fill("A kite over dunes");
  await page.getByRole("button", { name: "Generate" }).click();
  await videoPlays(page);
  const id = await page.getByTestId("task-id").textContent();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download video" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `${id}.mp4`);
  const file = path.join(env.tmp, "saved.mp4");
  await download.saveAs(file);
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(4, 8).toString(), "ftyp", "an MP4 file");
  assert.ok(bytes.includes(Buffer.from(rawId(id))), "the simulator's video of this very task");

  // The same link from a host whose CORS leaves this page out: no blob, a plain link instead.
  await page.route("**/tos/**", async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    // (Playwright adds a `*` to a fulfilled CORS answer that has none: name another site.)
    headers["access-control-allow-origin"] = "https://elsewhere.example";
    await route.fulfill({ response, headers });
  });
  await page.getByRole("button", { name: "Download video" }).click();
  const link = page.getByRole("link", { name: "Open the video" });
  await link.waitFor();
  const video = await page.evaluate(() => document.querySelector("video").src);
  assert.equal(await link.getAttribute("href"), video);
  assert.equal(await link.getAttribute("target"), "_blank");
  await context.close();
});

test("prices: the estimate shows money for the request, and the prices are kept", async () => {
  const { context, page } = await env.open();
  const estimate = page.locator(".estimate");
  assert.doesNotMatch(await estimate.textContent(), /USD/, "no money without a price");
  await page.getByText("Prices (for a money estimate)").click();
  await page.getByLabel("Currency").fill("USD");
  await page.getByLabel("2.0 fast, per million tokens").fill("37");
  // docs/API.md's cost formula: (24 × seconds + 1) × W × H / 1024 tokens, 720p 16:9 = 1280×720.
  const tokens = (secs) => Math.floor(((24 * secs + 1) * 1280 * 720) / 1024);
  const money = (secs) => ((tokens(secs) / 1e6) * 37).toFixed(2);
  await estimate.filter({ hasText: `≈ ${money(5)} USD` }).waitFor();
  await page.getByLabel("Duration").selectOption("-1");
  await estimate.filter({ hasText: `${money(4)} – ${money(15)} USD` }).waitFor();
  // The standard model has no price: tokens only.
  await page.getByLabel("Model").selectOption({ label: "2.0 standard" });
  await page.waitForFunction(() => !document.querySelector(".estimate").textContent.includes("USD"));
  await page.reload();
  await page.getByLabel("2.0 fast, per million tokens").waitFor({ state: "attached" });
  assert.equal(await page.getByLabel("2.0 fast, per million tokens").inputValue(), "37");
  await estimate.filter({ hasText: `≈ ${money(5)} USD` }).waitFor();
  await context.close();
});

test("the first load is the form: Generate and Look up load the task side once, then it works", async () => {
  const jobsLoads = (urls) => urls.filter((u) => /\/jobs(-[0-9a-f]+)?(_bg\.wasm|\.js)(\?|$)/.test(u)).length;
  const first = await env.open();
  const { page } = first;
  await page.getByText("Nothing running. Compose a request and press Generate.").waitFor();
  await page.waitForLoadState("networkidle");
  assert.equal(jobsLoads(first.urls), 0, "a first visit downloads no jobs app");
  // A missing id is refused by the form itself: nothing loads, nothing is sent.
  await page.getByRole("button", { name: "Look up" }).click();
  await page.getByText("Enter a task id (cgt-…).").waitFor();
  assert.equal(jobsLoads(first.urls), 0);
  await page.getByLabel("Prompt", { exact: true }).fill("A heron takes off");
  // A pointer on Generate starts the load (the click is coming); nothing is sent.
  const wasm = page.waitForRequest(/\/jobs(-[0-9a-f]+)?_bg\.wasm(\?|$)/);
  await page.getByRole("button", { name: "Generate" }).hover();
  await wasm;
  assert.equal((await creates()).length, 0);
  await page.getByRole("button", { name: "Generate" }).click();
  const id = await page.getByTestId("task-id").textContent();
  await videoPlays(page);
  assert.equal(jobsLoads(first.urls), 2, "the jobs app's script and wasm, once each");
  // The jobs app's own views are built when first opened, not for the task side.
  assert.equal(await page.locator("#shot-0-prompt, #batch-prompts").count(), 0);
  const posts = await creates();
  assert.equal(posts.length, 1);
  assert.deepEqual(posts[0].body.content, [{ type: "text", text: "A heron takes off" }]);
  // Back later (the same visitor: a proxy keeps visitors' tasks apart): the history lists
  // the finished task, nothing more loads, and Look up watches the task by its id.
  first.urls.length = 0;
  await page.reload();
  await page.getByText("Nothing running. Compose a request and press Generate.").waitFor();
  await page.locator(".record", { hasText: id }).locator(".badge", { hasText: "succeeded" }).waitFor();
  await page.waitForLoadState("networkidle");
  assert.equal(jobsLoads(first.urls), 0, "a returning visitor with history downloads no jobs app");
  await page.getByLabel("Look up a task id").fill(id);
  await page.getByRole("button", { name: "Look up" }).click();
  await page.getByTestId("task-id").filter({ hasText: id }).waitFor();
  await videoPlays(page);
  assert.equal(await page.getByTestId("status").textContent(), "succeeded");
  assert.equal(jobsLoads(first.urls), 2);
  assert.equal((await creates()).length, 1, "looking up creates nothing");
  assert.deepEqual(first.errors, []);
  await first.context.close();
});

test("the task side fails to load: the page says so, nothing is sent, and Generate tries again", async () => {
  const { context, page } = await env.open();
  await page.route(/\/jobs(-[0-9a-f]+)?\.js(\?|$)/, (route) => route.abort());
  await page.getByLabel("Prompt", { exact: true }).fill("A paper boat on a pond");
  const generate = page.getByRole("button", { name: "Generate" });
  await generate.click();
  await page.getByRole("alert").filter({ hasText: "The task view could not be loaded" }).waitFor();
  assert.equal(await generate.isDisabled(), false);
  assert.equal((await creates()).length, 0, "nothing was sent");
  await page.unroute(/\/jobs(-[0-9a-f]+)?\.js(\?|$)/);
  await generate.click();
  await page.getByTestId("task-id").waitFor();
  await videoPlays(page);
  assert.equal(await page.getByRole("alert").filter({ hasText: "could not be loaded" }).count(), 0);
  const posts = await creates();
  assert.equal(posts.length, 1);
  assert.deepEqual(posts[0].body.content, [{ type: "text", text: "A paper boat on a pond" }]);
  await context.close();
});

test("cancel a queued task: it is deleted and polling stops", async () => {
  const { context, page } = await env.open();
  await page.getByLabel("Prompt").fill("A long queue [queued]");
  await page.getByRole("button", { name: "Generate" }).click();
  await page.getByTestId("status").filter({ hasText: "queued" }).waitFor();
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("status").filter({ hasText: "nothing is billed" }).waitFor();
  const reqs = await apiRequests();
  assert.ok(reqs.some((r) => r.method === "DELETE"), "the queued task was deleted");
  const count = reqs.length;
  await page.waitForTimeout(2500);
  assert.equal((await apiRequests()).length, count, "no request after the cancel");
  await context.close();
});

test("the API key never reaches localStorage or a URL unless asked, and then only sessionStorage", async () => {
  const KEY = "sk-seedance-canary-e2e-4242";
  const { context, page, urls } = await env.open();
  await page.getByRole("radio", { name: "Direct" }).check();
  await page.getByLabel("Base URL").fill(`${SIM}/seedance/api/v3`);
  await page.getByLabel("API key").fill(KEY);
  await page.getByLabel("Prompt").fill("A lighthouse in fog");
  await page.getByRole("button", { name: "Generate" }).click();
  // Only the create matters here (a real server's first poll comes much later).
  await page.getByTestId("task-id").waitFor();
  const [post] = await creates();
  assert.equal(post.headers.authorization, `Bearer ${KEY}`);
  const stores = () => page.evaluate(() => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
  }));
  let s = await stores();
  assert.ok(!s.local.includes(KEY), "not in localStorage");
  assert.ok(!s.session.includes(KEY), "not in sessionStorage before the box is ticked");
  await page.getByLabel("Remember the key for this tab").check();
  s = await stores();
  assert.ok(s.session.includes(KEY), "in sessionStorage once asked");
  assert.ok(!s.local.includes(KEY), "still not in localStorage");
  assert.ok(urls.every((u) => !u.includes(KEY)), "in no URL");
  assert.ok(!page.url().includes(KEY));
  await context.close();
});

test("the site works under a path prefix and loads without errors", async () => {
  const { context, page, errors, urls } = await env.open(DESKTOP);
  assert.ok(urls.some((u) => u.endsWith(".wasm") && u.includes("/some/prefix/")));
  assert.deepEqual(errors, []);
  await resetSim();
  await context.close();
});

test("history survives a reload, and a running task resumes", async () => {
  const { context, page } = await env.open();
  await page.getByLabel("Prompt").fill("A slow sunrise [slow]");
  await page.getByRole("button", { name: "Generate" }).click();
  await page.getByTestId("status").filter({ hasText: /queued|running/ }).waitFor();
  const id = await page.getByTestId("task-id").textContent();
  await page.reload();
  // Generate waits from the first frame on: the task still runs (its side loads later).
  const generate = page.getByRole("button", { name: "Generate" });
  await generate.waitFor();
  assert.equal(await generate.isDisabled(), true, "no second task while the first resumes");
  // The form is the one the task was made from again.
  await page.waitForFunction(() => document.querySelector("#prompt")?.value === "A slow sunrise [slow]");
  // The same task comes back and is watched to its end.
  await page.getByTestId("task-id").filter({ hasText: id }).waitFor();
  await videoPlays(page);
  assert.equal(await page.getByTestId("status").textContent(), "succeeded");
  assert.equal((await creates()).length, 1, "resuming creates nothing");
  const rec = page.locator(".record", { hasText: id });
  await rec.locator(".badge", { hasText: "succeeded" }).waitFor();
  await rec.getByText("A slow sunrise [slow]").waitFor();
  // The records hold no image payload and no key.
  const stored = await page.evaluate(() => localStorage.getItem("seedance.playground.history"));
  assert.ok(stored.includes(id) && !stored.includes("data:") && !stored.includes("sk-"));
  await context.close();
});

test("copy as curl keeps the key as $SEEDANCE_API_KEY", async () => {
  const KEY = "sk-seedance-canary-e2e-curl";
  const { context, page } = await env.open();
  await page.getByRole("radio", { name: "Direct" }).check();
  await page.getByLabel("Base URL").fill(`${SIM}/seedance/api/v3`);
  await page.getByLabel("API key").fill(KEY);
  await page.getByLabel("Prompt").fill("It's a test");
  await page.getByText("Copy as curl").click();
  const cmd = await page.getByTestId("curl").textContent();
  assert.ok(cmd.includes('Authorization: Bearer $SEEDANCE_API_KEY'), cmd);
  assert.ok(!cmd.includes(KEY));
  assert.ok(cmd.includes(`${SIM}/seedance/api/v3/contents/generations/tasks`));
  assert.ok(cmd.includes(`"generate_audio":true`));
  assert.ok(cmd.includes(`It'\\''s a test`), "single quotes are escaped for the shell");
  await context.close();
});

test("spend guard: a 1080p task asks first, and a refusal sends nothing", async () => {
  const { context, page } = await env.open();
  await page.getByLabel("Model").selectOption({ label: "2.0 standard" });
  await page.getByLabel("Resolution").selectOption("1080p");
  await page.getByLabel("Prompt").fill("A wide canyon");
  let asked = "";
  page.once("dialog", (d) => { asked = d.message(); d.dismiss(); });
  await page.getByRole("button", { name: "Generate" }).click();
  assert.match(asked, /1080p/);
  assert.equal((await apiRequests()).length, 0);
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Generate" }).click();
  await page.getByTestId("task-id").waitFor();
  const [post] = await creates();
  assert.equal(post.body.resolution, "1080p");
  await context.close();
});

test("a create whose answer was lost: the page says so, and Find it recovers the task", async () => {
  await simPost("/_sim/faults", { faults: ["lost-create,times=1"] });
  const { context, page } = await env.open();
  await page.getByLabel("Prompt").fill("A lost answer");
  await page.getByRole("button", { name: "Generate" }).click();
  await page.getByRole("alert").filter({ hasText: "Unknown whether a task was created" }).waitFor();
  await page.getByRole("button", { name: "Find it" }).click();
  const watch = page.getByRole("button", { name: /^Watch cgt-/ });
  await watch.first().waitFor();
  const [stored] = (await (await fetch(SIM + "/_sim/tasks")).json()).map((t) => t.id ?? t.task?.id);
  await watch.first().click();
  await videoPlays(page);
  if (stored) assert.equal(rawId(await page.getByTestId("task-id").textContent()), stored);
  await context.close();
});
