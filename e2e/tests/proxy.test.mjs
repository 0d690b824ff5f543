// The playground in "Your proxy" mode, through the Cloudflare Worker (worker/, in miniflare)
// with the simulator as its upstream: the page holds no key, the Worker adds it, and the
// visitor sees its own (wrapped) task ids.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createInterface } from "node:readline";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SIM, pageTests, apiRequests, creates, videoPlays } from "../lib.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const KEY = "sk-seedance-canary-e2e-proxy";

let worker;
let proxy;

/** Start worker/scripts/serve (building the Worker first if needed); resolves to its URL. */
async function startWorker(origin) {
  if (!fs.existsSync(path.join(root, "worker/dist/entry.mjs"))) {
    execFileSync(path.join(root, "worker/build"), { stdio: "inherit" });
  }
  worker = spawn(
    process.execPath,
    [
      path.join(root, "worker/scripts/serve"),
      "--upstream", `${SIM}/seedance/api/v3`,
      "--origin", origin,
      "--key", KEY,
      // The simulator serves media over http and runs every tier; no limits in the way.
      "--var", "RATE_LIMIT=off",
      "--var", "ALLOWED_RESOLUTIONS=480p,720p,1080p",
      "--var", "MAX_DURATION=15",
      "--var", "DAILY_TOKEN_BUDGET=100000000",
      "--var", 'LIMITS={"allow_http":true}',
    ],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" } },
  );
  const line = await new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the Worker exited with ${code}`)));
    createInterface({ input: worker.stdout }).once("line", resolve);
  });
  return line.replace("seedance-worker listening on ", "").trim();
}

const env = pageTests({
  setup: async ({ site }) => {
    proxy = `${await startWorker(new URL(site.url).origin)}/api/v3`;
  },
  teardown: () => worker?.kill(),
});

async function viaProxy() {
  const opened = await env.open();
  const sent = [];
  opened.page.on("request", (r) => {
    if (r.url().startsWith(proxy)) sent.push({ url: r.url(), headers: r.headers() });
  });
  await opened.page.getByRole("radio", { name: "Your proxy" }).check();
  await opened.page.getByLabel("Proxy URL").fill(proxy);
  return { ...opened, sent };
}

test("through the Worker: a video plays, the key is added by the Worker only, the id is the visitor's", async () => {
  const { context, page, urls, sent } = await viaProxy();
  await page.getByLabel("Prompt").fill("A paper boat on a puddle");
  await page.getByRole("button", { name: "Generate" }).click();
  const v = await videoPlays(page);
  assert.ok(v.readyState >= 2 && v.duration > 0);
  assert.equal(await page.getByTestId("status").textContent(), "succeeded");

  // The simulator got the create from the Worker, with the key the Worker holds.
  const posts = await creates();
  assert.equal(posts.length, 1);
  assert.equal(posts[0].headers.authorization, `Bearer ${KEY}`);
  // The page sent no key, but its client id and an idempotency key.
  const create = sent.find((s) => s.url.endsWith("/contents/generations/tasks"));
  assert.ok(create, "the page created through the proxy");
  assert.equal(create.headers.authorization, undefined);
  assert.match(create.headers["x-client-id"], /^pg-[0-9a-f]{32}$/);
  assert.ok(create.headers["idempotency-key"]);
  // The id the visitor sees is the Worker's wrapped id, not the account's raw one.
  const shown = await page.getByTestId("task-id").textContent();
  const raw = (await apiRequests()).find((r) => r.method === "GET" && r.path.includes("/tasks/cgt-"));
  assert.ok(raw, "the Worker polled the simulator");
  assert.ok(shown.startsWith("cgt-") && !raw.path.endsWith(shown), `${shown} vs ${raw.path}`);
  // And the key reached the page nowhere.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!stored.includes(KEY) && urls.every((u) => !u.includes(KEY)));
  await context.close();
});

test("through the Worker: a failed task shows its code", async () => {
  const { context, page } = await viaProxy();
  await page.getByLabel("Prompt").fill("A crowd scene [fail]");
  await page.getByRole("button", { name: "Generate" }).click();
  const code = page.getByTestId("error-code");
  await code.waitFor({ timeout: 20000 });
  assert.equal(await code.textContent(), "OutputVideoSensitiveContentDetected");
  await context.close();
});
