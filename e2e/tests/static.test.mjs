// The static site as deployed (dist/ under a plain file server, no simulator, no proxy):
// the page loads, every view shows, and it makes no request that fails and logs no error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { DIST, launch } from "../lib.mjs";

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

test("static deploy without a simulator: no failed request, no console error", async () => {
  const port = await freePort();
  const server = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", DIST], { stdio: "ignore" });
  const browser = await launch();
  try {
    const url = `http://127.0.0.1:${port}/`;
    for (let i = 0; i < 100; i++) {
      if (await fetch(url).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    const failed = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    const requested = [];
    page.on("request", (r) => requested.push(r.url()));
    page.on("requestfailed", (r) => failed.push(r.url()));
    page.on("response", (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await page.goto(url);
    await page.getByRole("radio", { name: "Your proxy" }).waitFor();
    // Without a simulator the page picks the proxy, and says how to get one.
    await page.waitForFunction(() => document.querySelector('input[name="backend"][type="radio"]:checked') !== null);
    for (const name of ["Film", "Variations", "Batch", "One video"]) {
      const tab = page.getByRole("navigation", { name: "Views" }).getByRole("button", { name, exact: true });
      if (await tab.count()) await tab.click();
    }
    await page.waitForLoadState("networkidle");
    // What loads on first use is named by this build's hash: no cache can pair an older
    // jobs app with this first app.
    const build = await page.locator('meta[name="seedance-build"]').getAttribute("content");
    assert.match(build, /^[0-9a-f]{16}$/);
    const lazy = requested.filter((u) => /\/jobs[-._]/.test(u));
    assert.deepEqual(lazy.map((u) => new URL(u).pathname + new URL(u).search).sort(), [
      `/jobs-${build}.js`,
      `/jobs-${build}_bg.wasm`,
    ]);
    assert.deepEqual(failed, [], "no request failed");
    assert.deepEqual(errors, [], "no console error");
    await context.close();
  } finally {
    await browser.close();
    server.kill();
  }
});
