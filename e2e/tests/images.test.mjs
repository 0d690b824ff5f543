// Image payloads in the playground: an image that breaks a limit is fixed in the browser,
// and history keeps images in IndexedDB so a reopened entry gets them back.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pageTests, creates, png, videoPlays } from "../lib.mjs";

const env = pageTests();

/** Width and height from a PNG or JPEG data URL's bytes. */
function dims(dataUrl) {
  const b = Buffer.from(dataUrl.slice(dataUrl.indexOf(",") + 1), "base64");
  if (b.subarray(1, 4).toString() === "PNG") return [b.readUInt32BE(16), b.readUInt32BE(20)];
  for (let i = 2; i < b.length; ) {
    const marker = b[i + 1];
    const len = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5)];
    }
    i += 2 + len;
  }
  throw new Error("no image size in the data URL");
}

test("first + last frame with too many pixels: the page offers a downscale, and the simulator gets a valid image", async () => {
  const big = path.join(env.tmp, "big.png");
  const last = path.join(env.tmp, "last.png");
  fs.writeFileSync(big, png(6100, 2500, 4)); // longest side over 6000 px
  fs.writeFileSync(last, png(1280, 720, 5));
  const { context, page } = await env.open();
  await page.getByRole("tab", { name: "First + last frame" }).click();
  await page.getByLabel("First frame image").setInputFiles(big);
  await page.getByLabel("Last frame image").setInputFiles(last);
  await page.locator("#first-problems li", { hasText: "6000" }).waitFor();
  const fix = page.getByRole("group", { name: "Fix First frame image" });
  const button = fix.getByRole("button", { name: /^Downscale to \d+×\d+ px$/ });
  const [, w, h] = (await button.textContent()).match(/(\d+)×(\d+)/).map(Number);
  assert.ok(w <= 6000 && h <= 6000, `${w}×${h}`);
  assert.equal(await page.getByLabel("Last frame", { exact: true }).getByRole("group", { name: /^Fix/ }).count(), 0,
    "an image within the limits gets no offer");
  await button.click();
  await page.getByText(`big.png (${w}×${h})`).waitFor({ timeout: 30000 });
  await page.waitForFunction(() => document.querySelectorAll("#first-problems li").length === 0);
  await page.getByRole("button", { name: "Generate" }).click();
  await videoPlays(page);
  const [post] = await creates();
  const first = post.body.content.find((c) => c.role === "first_frame").image_url.url;
  assert.match(first, /^data:image\/png;base64,/);
  const [fw, fh] = dims(first);
  assert.deepEqual([fw, fh], [w, h], "the image the page promised");
  assert.ok(Math.max(fw, fh) <= 6000 && Math.min(fw, fh) >= 300, `${fw}×${fh} within the sides`);
  assert.ok(fw / fh >= 0.4 && fw / fh <= 2.5, "within the aspect limits");
  await context.close();
});

test("an image too wide is cropped to the largest allowed aspect ratio", async () => {
  const wide = path.join(env.tmp, "wide.png");
  fs.writeFileSync(wide, png(1500, 400, 6)); // 3.75:1, over 2.5:1
  const { context, page } = await env.open();
  await page.getByRole("tab", { name: "First frame" }).click();
  await page.getByLabel("First frame image").setInputFiles(wide);
  await page.getByRole("button", { name: "Crop to 1000×400 px" }).click();
  await page.getByText("wide.png (1000×400)").waitFor({ timeout: 30000 });
  await page.getByLabel("Prompt (optional)").fill("pan across");
  await page.getByRole("button", { name: "Generate" }).click();
  await page.getByTestId("task-id").waitFor();
  const [post] = await creates();
  const url = post.body.content.find((c) => c.type === "image_url").image_url.url;
  assert.deepEqual(dims(url), [1000, 400]);
  await context.close();
});

test("history keeps images in IndexedDB: a reopened entry puts them back after a reload", async () => {
  const file = path.join(env.tmp, "start.png");
  fs.writeFileSync(file, png(640, 360, 7));
  const dataUrl = "data:image/png;base64," + fs.readFileSync(file).toString("base64");
  const { context, page } = await env.open();
  await page.getByRole("tab", { name: "First frame" }).click();
  await page.getByLabel("First frame image").setInputFiles(file);
  await page.getByLabel("Prompt (optional)").fill("the boat sails off");
  await page.getByRole("button", { name: "Generate" }).click();
  await videoPlays(page);
  const id = await page.getByTestId("task-id").textContent();
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(stored.includes("the boat sails off"), "the record is in localStorage");
  assert.ok(!stored.includes("data:"), "but no image payload");

  await page.reload();
  await page.getByRole("button", { name: `Open ${id}` }).click();
  // The form comes back as it was sent: mode, prompt, and the image with its facts.
  await page.getByRole("tab", { name: "First frame", selected: true }).waitFor();
  assert.equal(await page.getByLabel("Prompt (optional)").inputValue(), "the boat sails off");
  const img = page.getByRole("img", { name: "Chosen image start.png" });
  await img.waitFor();
  assert.equal(await img.getAttribute("src"), dataUrl);
  await page.getByText("640×360 px").waitFor();
  // And it is what the next create sends.
  await page.getByRole("button", { name: "Generate" }).click();
  // The next task's id (the element is emptied while the create is under way).
  await page.waitForFunction((prev) => {
    const text = document.querySelector('[data-testid="task-id"]')?.textContent?.trim();
    return !!text && text !== prev;
  }, id);
  const posts = await creates();
  assert.equal(posts.length, 2);
  assert.equal(posts[1].body.content.find((c) => c.type === "image_url").image_url.url, dataUrl);
  await context.close();
});
