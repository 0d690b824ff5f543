// Browser benchmarks (headless Chromium through playwright-core), printed as Markdown
// sections for BENCHMARKS.md (scripts/bench writes the machine/date line and appends this):
//
//   1. Data URLs in Chromium: the npm package's `toDataUrl(file)` (web target, release) against
//      the browser's own `FileReader.readAsDataURL`, for 1, 10 and 30 MB files.
//   2. Downscale 6000×6000: decode with `createImageBitmap`, draw on a canvas, encode
//      (the same browser calls as playground/src/web/image.rs).
//   3. Playground: time from navigation to a usable form (release build), and memory after
//      20 generated videos (against seedance-sim, fast timings).
//   4. MP4 concatenation in Chromium (issue 13; only with --only concat): the npm package's
//      `seedance/mp4` `concatMp4` (wasm, web target, release) on the clips mp4/bench made,
//      against ffmpeg -f concat -c copy (native) on the same files, best of --runs each.
//
//   node e2e/bench.mjs [--only dataurl,downscale,playground,concat] [--runs N]
//
// Builds it uses (built when missing; paths can be given instead):
//   BENCH_PKG        the npm package's web build      (default js/pkg/web; scripts/build-npm)
//   BENCH_MP4_PKG    seedance/mp4's web build         (default js/pkg/mp4/web; scripts/build-npm)
//   MP4_CLIPS        mp4/bench's clips (MP4_BENCH_DIR: list.txt, src*.mp4, ours.mp4); by
//                    default `MP4_BENCH_DIR=<tmp> mp4/bench 5 1 10` makes them
//   PLAYGROUND_DIST  the playground's release build  (default dist/; trunk build --release)
//   SIM_BIN          seedance-sim                    (default $CARGO_TARGET_DIR|target/debug;
//                                                     cargo build -p seedance-sim)
// Every server binds 127.0.0.1 and everything started here is stopped at the end.
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const only = new Set(opt("--only", "dataurl,downscale,playground").split(","));
const RUNS = Number(opt("--runs", 5));
const MEM_RUNS = 3;
const MB = 1024 * 1024;
const SIZES = [1, 10, 30];
const log = (...a) => console.error("bench:", ...a);

const target = process.env.CARGO_TARGET_DIR || path.join(root, "target");
const PKG = path.resolve(process.env.BENCH_PKG || path.join(root, "js/pkg/web"));
const DIST = path.resolve(process.env.PLAYGROUND_DIST || path.join(root, "dist"));
const SIM_BIN = path.resolve(process.env.SIM_BIN || path.join(target, "debug/seedance-sim"));
const MP4_PKG = path.resolve(process.env.BENCH_MP4_PKG || path.join(root, "js/pkg/mp4/web"));
let MP4_CLIPS = process.env.MP4_CLIPS ? path.resolve(process.env.MP4_CLIPS) : "";

function run(cmd, argv, env = {}) {
  log(`building: ${cmd} ${argv.join(" ")}`);
  const r = spawnSync(cmd, argv, { cwd: root, stdio: ["ignore", 2, 2], env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status})`);
}
function ensureBuilds() {
  if ((only.has("dataurl") && !fs.existsSync(path.join(PKG, "seedance_bg.wasm"))) ||
    (only.has("concat") && !fs.existsSync(path.join(MP4_PKG, "seedance_mp4_bg.wasm")))) {
    run("scripts/build-npm", []);
  }
  if (only.has("concat") && !MP4_CLIPS) {
    MP4_CLIPS = fs.mkdtempSync(path.join(os.tmpdir(), "seedance-clips-"));
    cleanups.push(() => fs.rmSync(MP4_CLIPS, { recursive: true, force: true }));
    run("mp4/bench", ["5", "1", "10"], { MP4_BENCH_DIR: MP4_CLIPS });
  }
  if (only.has("playground")) {
    if (!fs.existsSync(path.join(DIST, "index.html"))) {
      run("trunk", ["build", "--release", "--dist", DIST], {
        PATH: `${path.join(root, "e2e/node_modules/.bin")}:${process.env.PATH}`,
        TRUNK_SKIP_VERSION_CHECK: "true",
      });
    }
    if (!fs.existsSync(SIM_BIN)) run("cargo", ["build", "--locked", "-q", "-p", "seedance-sim"]);
  }
}

// ---------------------------------------------------------------- cleanup, whatever happens
const cleanups = [];
async function cleanup() {
  while (cleanups.length) {
    try { await cleanups.pop()(); } catch { /* keep going */ }
  }
}
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, async () => { await cleanup(); process.exit(130); });
}

// ---------------------------------------------------------------- figures
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => (x < 10 ? x.toFixed(1) : x.toFixed(0));
const mb = (n) => (n / MB).toFixed(1);

// The renderer processes of the browser this script launched (its descendants), and their
// memory from /proc: VmRSS now and VmHWM (peak since the last `clear_refs`).
function descendants(pid) {
  const kids = new Map();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(d));
    } catch { /* gone */ }
  }
  const out = [];
  const walk = (p) => { for (const k of kids.get(p) || []) { out.push(k); walk(k); } };
  walk(pid);
  return out;
}
function renderers() {
  return descendants(process.pid).filter((p) => {
    try { return fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes("--type=renderer"); } catch { return false; }
  });
}
function status(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k) => Number((s.match(new RegExp(`${k}:\\s+(\\d+)`)) || [, 0])[1]) * 1024;
    return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
  } catch { return { rss: 0, hwm: 0 }; }
}
/** Reset the peak RSS of every renderer; returns a function giving the largest rise since. */
function peakWatch() {
  const base = new Map();
  for (const p of renderers()) {
    try { fs.writeFileSync(`/proc/${p}/clear_refs`, "5"); } catch { /* not allowed: HWM stays */ }
    base.set(p, status(p).rss);
  }
  return () => Math.max(0, ...[...base].map(([p, rss]) => status(p).hwm - rss));
}

async function gc(cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
}
async function jsHeap(cdp) {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return metrics.find((m) => m.name === "JSHeapUsedSize").value;
}

// ---------------------------------------------------------------- a static server
function serve(routes) {
  const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm" };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    for (const [prefix, dir] of Object.entries(routes)) {
      if (typeof dir === "string" && dir.startsWith("<")) {
        if (url.pathname === prefix) { res.writeHead(200, { "content-type": TYPES[".html"] }).end(dir); return; }
        continue;
      }
      if (!url.pathname.startsWith(prefix)) continue;
      const file = path.join(dir, url.pathname.slice(prefix.length));
      if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) break;
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404).end("not found");
  });
  return new Promise((r) => server.listen(0, "127.0.0.1", () => {
    cleanups.push(() => new Promise((done) => { server.closeAllConnections(); server.close(done); }));
    r(`http://127.0.0.1:${server.address().port}`);
  }));
}

// A PNG signature and IHDR chunk (4000×2500 RGB), then random filler: sniffs as PNG.
function fakePng(size) {
  const b = crypto.randomBytes(size);
  Buffer.from("89504e470d0a1a0a0000000d49484452", "hex").copy(b, 0);
  b.writeUInt32BE(4000, 16);
  b.writeUInt32BE(2500, 20);
  Buffer.from([8, 2, 0, 0, 0]).copy(b, 24);
  return b;
}

const BENCH_PAGE = `<!doctype html><meta charset=utf-8><title>bench</title>
<input type=file id=f>
<script type=module>
import init, { toDataUrl } from "/pkg/seedance.js";
const wasm = await init();
const file = () => document.getElementById("f").files[0];
window.wasmBytes = () => wasm.memory.buffer.byteLength;
// Each keeps its result (window.out) until the caller has read the memory figures.
window.ours = async (flat = true) => {
  const t0 = performance.now();
  const s = await toDataUrl(file());
  if (flat) s.charCodeAt(s.length >> 1); // as flat as FileReader's string before the clock stops
  const t = performance.now() - t0;
  window.out = s;
  return { t, len: s.length };
};
window.native = () => new Promise((resolve, reject) => {
  const t0 = performance.now();
  const r = new FileReader();
  r.onload = () => {
    const s = r.result;
    const t = performance.now() - t0;
    window.out = s;
    resolve({ t, len: s.length });
  };
  r.onerror = () => reject(r.error);
  r.readAsDataURL(file());
});
window.same = async () => {
  const a = await toDataUrl(file());
  const b = await new Promise((res) => { const r = new FileReader(); r.onload = () => res(r.result); r.readAsDataURL(file()); });
  return a === b;
};
window.drop = () => { window.out = undefined; };
window.ready = true;
</script>`;

async function newBenchPage(browser, url, file) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  await page.goto(url);
  await page.waitForFunction(() => window.ready === true);
  if (file) await page.locator("#f").setInputFiles(file);
  return { context, page, cdp };
}

async function dataUrls(browser) {
  const url = await serve({ "/pkg/": PKG, "/": BENCH_PAGE });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "seedance-bench-"));
  cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const rows = [];
  for (const size of SIZES) {
    const file = path.join(tmp, `x${size}.png`);
    fs.writeFileSync(file, fakePng(size * MB));
    const bytes = size * MB;

    // Memory: a fresh page (a fresh renderer) per call, one call, result kept alive;
    // the median of MEM_RUNS such calls per method.
    const mem = {};
    for (const method of ["ours", "native", "rope"]) {
      const runs = [];
      for (let i = 0; i < MEM_RUNS; i++) {
        const { context, page, cdp } = await newBenchPage(browser, url, file);
        await gc(cdp);
        const heap0 = await jsHeap(cdp);
        const wasm0 = await page.evaluate(() => wasmBytes());
        const peak = peakWatch();
        await page.evaluate((m) => (m === "rope" ? ours(false) : window[m]()), method);
        const rise = peak();
        const heap1 = await jsHeap(cdp);
        const wasm1 = await page.evaluate(() => wasmBytes());
        runs.push({ rise, heap: heap1 - heap0, wasm: wasm1 - wasm0, wasmTotal: wasm1 });
        await context.close();
      }
      runs.sort((a, b) => a.rise - b.rise);
      mem[method] = runs[runs.length >> 1];
    }

    // Time: one page, the two methods alternating, a GC before each call.
    const { context, page, cdp } = await newBenchPage(browser, url, file);
    const same = await page.evaluate(() => same());
    const t = { ours: [], native: [] };
    await page.evaluate(() => ours()); // warm up both paths once
    await page.evaluate(() => native());
    for (let i = 0; i < RUNS; i++) {
      for (const method of ["ours", "native"]) {
        await page.evaluate(() => drop());
        await gc(cdp);
        t[method].push((await page.evaluate((m) => window[m](), method)).t);
      }
    }
    await context.close();
    const row = { size, bytes, same, ours: median(t.ours), native: median(t.native), mem };
    log(JSON.stringify(row));
    rows.push(row);
  }
  const x = (n, d) => `${(n / d).toFixed(2)}×`;
  const peakOf = (n, d) => `${x(n, d)} (${mb(n)} MB)`;
  return `
## Data URLs in Chromium

\`toDataUrl(file)\` from the npm package (web target, release build) against the browser's own
\`FileReader.readAsDataURL(file)\`, on a \`File\` picked through an \`<input type=file>\` (a PNG
header, then random bytes). Time: median of ${RUNS} calls per size, the two alternating in one
page, after a warm-up and a GC before each call. Our string is built from pieces (a rope);
the clock and the peak include flattening it (\`charCodeAt\` in the middle), which
FileReader's string does not need.

Peak memory: the renderer process's peak resident memory (Linux \`VmHWM\`, reset through
\`/proc/PID/clear_refs\`) during one call in a fresh page, less its resident memory just before,
median of ${MEM_RUNS} pages. It counts everything the call touches (JS heap, ArrayBuffers, wasm
memory, the browser's blob-reading buffers, garbage not yet collected) and includes the
result. CDP's \`JSHeapUsedSize\` does not see these strings (Blink hands them to V8 as external
strings: it grows by ${mb(rows.at(-1).mem.native.heap)} MB while FileReader's 30 MB result is held), so it is not used.
*Unflattened*: the same without the flatten, i.e. what the call itself holds at its peak.
Wasm memory never shrinks: the column shows what the page keeps after the call.
Goals: ≥ 0.8× FileReader's speed, peak ≤ 3× the file size.

| size | ours ms | FileReader ms | speed ratio (goal ≥ 0.8×) | our peak / file (goal ≤ 3×) | FileReader's peak / file | our peak, unflattened | wasm memory after (grew by) | same string |
|---:|---:|---:|---:|---:|---:|---:|---:|---|
${rows.map((r) => `| ${r.size} MB | ${ms(r.ours)} | ${ms(r.native)} | ${x(r.native, r.ours)} | ${peakOf(r.mem.ours.rise, r.bytes)} | ${peakOf(r.mem.native.rise, r.bytes)} | ${peakOf(r.mem.rope.rise, r.bytes)} | ${mb(r.mem.ours.wasmTotal)} MB (+${mb(r.mem.ours.wasm)}) | ${r.same ? "yes" : "**no**"} |`).join("\n")}
`;
}

// ---------------------------------------------------------------- downscale
async function downscale(browser) {
  const url = await serve({ "/": "<!doctype html><title>downscale</title>" });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url + "/");
  const res = await page.evaluate(async () => {
    // The source: a 6000×6000 picture (gradients, shapes, grain) encoded by the browser.
    const N = 6000;
    const src = document.createElement("canvas");
    src.width = src.height = N;
    const c = src.getContext("2d");
    const g = c.createLinearGradient(0, 0, N, N);
    g.addColorStop(0, "#204060"); g.addColorStop(0.5, "#e0a040"); g.addColorStop(1, "#40a080");
    c.fillStyle = g; c.fillRect(0, 0, N, N);
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 3000; i++) {
      c.fillStyle = `hsla(${rnd() * 360},60%,${30 + rnd() * 40}%,0.5)`;
      c.beginPath(); c.arc(rnd() * N, rnd() * N, 10 + rnd() * 200, 0, 7); c.fill();
    }
    const tile = c.createImageData(512, 512);
    for (let i = 0; i < tile.data.length; i++) tile.data[i] = i % 4 === 3 ? 24 : rnd() * 255;
    const t2 = document.createElement("canvas"); t2.width = t2.height = 512;
    t2.getContext("2d").putImageData(tile, 0, 0);
    c.fillStyle = c.createPattern(t2, "repeat"); c.fillRect(0, 0, N, N);
    const blobOf = (cv, type, q) => new Promise((r) => cv.toBlob(r, type, q));
    const inputs = { JPEG: await blobOf(src, "image/jpeg", 0.92), PNG: await blobOf(src, "image/png") };
    src.width = src.height = 0;

    const out = [];
    for (const [kind, blob] of Object.entries(inputs)) {
      for (const side of [3000, 6000]) {
        const times = [];
        let bytes = 0;
        for (let run = 0; run < 3; run++) {
          const t0 = performance.now();
          const bmp = await createImageBitmap(blob);
          const t1 = performance.now();
          const cv = document.createElement("canvas");
          cv.width = cv.height = side;
          cv.getContext("2d").drawImage(bmp, 0, 0, N, N, 0, 0, side, side);
          bmp.close();
          const t2 = performance.now();
          const url = cv.toDataURL("image/jpeg", 0.92);
          const t3 = performance.now();
          bytes = Math.floor(url.slice(url.indexOf(",") + 1).length * 3 / 4);
          cv.width = cv.height = 0;
          times.push([t1 - t0, t2 - t1, t3 - t2, t3 - t0]);
        }
        const med = (k) => times.map((t) => t[k]).sort((a, b) => a - b)[1];
        out.push({ kind, inBytes: blob.size, side, decode: med(0), draw: med(1), encode: med(2), total: med(3), bytes });
      }
    }
    return out;
  });
  await context.close();
  log(JSON.stringify(res));
  return `
## Downscale 6000×6000

The browser calls playground/src/web/image.rs makes: \`createImageBitmap(blob)\` (decode), \`drawImage\` onto
a canvas of the output size, \`canvas.toDataURL("image/jpeg", 0.92)\`. The source is a
6000×6000 picture (gradients, 3,000 translucent discs, grain) that the browser encoded as
JPEG (quality 0.92) and as PNG (the grain makes the PNG far larger than a photo's PNG;
it is here for the decode time). Median of 3 runs each.

| source | output | decode ms | draw ms | encode ms | total ms | output size |
|---|---|---:|---:|---:|---:|---:|
${res.map((r) => `| ${r.kind}, ${mb(r.inBytes)} MB | ${r.side}×${r.side} JPEG | ${ms(r.decode)} | ${ms(r.draw)} | ${ms(r.encode)} | **${ms(r.total)}** | ${mb(r.bytes)} MB |`).join("\n")}
`;
}

// ---------------------------------------------------------------- playground
async function startSim() {
  const child = spawn(SIM_BIN, ["--port", "0", "--fast", "--quiet"], { stdio: ["ignore", "pipe", "pipe"] });
  cleanups.push(() => new Promise((r) => {
    if (child.exitCode !== null) return r();
    child.once("exit", r);
    child.kill();
  }));
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error("the simulator did not start")), 10000);
    child.stdout.on("data", (d) => {
      buf += d;
      const m = buf.match(/seedance-sim listening on (\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on("exit", (code) => reject(new Error(`the simulator exited (${code}): ${buf}`)));
  });
}

const TTI_SCRIPT = () => {
  // When the prompt box exists and is enabled, the wasm has run and rendered the form.
  window.__wasm = null;
  addEventListener("TrunkApplicationStarted", (e) => { window.__wasm = e.detail.wasm; });
  const ready = () => {
    const t = document.querySelector("textarea#prompt, textarea");
    if (t && !t.disabled && !window.__tti) { window.__tti = performance.now(); obs.disconnect(); }
  };
  const obs = new MutationObserver(ready);
  obs.observe(document, { childList: true, subtree: true });
};

async function playground(browser, lib) {
  const site = await lib.startSite();
  cleanups.push(() => site.close());

  // Time to an interactive form: fresh context (empty cache and storage) each time.
  const tti = [];
  const wall = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: lib.DESKTOP });
    await context.addInitScript(TTI_SCRIPT);
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(site.url);
    await page.getByLabel("Prompt").waitFor({ state: "visible" });
    await page.waitForFunction(() => window.__tti > 0);
    wall.push(Date.now() - t0);
    tti.push(await page.evaluate(() => window.__tti));
    await context.close();
  }

  // Memory after 20 generated videos, in one page.
  const context = await browser.newContext({ viewport: lib.DESKTOP });
  await context.addInitScript(TTI_SCRIPT);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(site.url);
  await page.getByRole("radio", { name: "Local simulator" }).waitFor();
  await page.waitForFunction(() => document.querySelector('input[name="backend"]')?.checked === true);
  const memory = async () => {
    await gc(cdp);
    const heap = await jsHeap(cdp);
    // Both apps' memories: the jobs app draws the task side once Generate loads it (its
    // module's init, called again, hands back the instance it made).
    const wasm = await page.evaluate(async () => {
      const first = window.__wasm?.memory?.buffer.byteLength ?? 0;
      if (!window.__seedanceJobs) return first;
      // The URL the page imported it by (the last, after a retry), so the same module.
      const url = performance.getEntriesByType("resource").map((e) => e.name)
        .filter((n) => /\/jobs(-[0-9a-f]+)?\.js(\?|$)/.test(n)).pop();
      const jobs = await (await import(url)).default();
      return first + jobs.memory.buffer.byteLength;
    });
    const rss = Math.max(...renderers().map((p) => status(p).rss));
    return { heap, wasm, rss };
  };
  const before = await memory();
  const N = 20;
  const t0 = Date.now();
  let last = "";
  for (let i = 0; i < N; i++) {
    await page.getByLabel("Prompt").fill(`Video ${i + 1}: a lighthouse at dawn, waves, gulls`);
    await page.getByRole("button", { name: "Generate" }).click();
    await page.waitForFunction((prev) => {
      const id = document.querySelector('[data-testid="task-id"]')?.textContent;
      const st = document.querySelector('[data-testid="status"]')?.textContent;
      return id && id !== prev && st === "succeeded";
    }, last, { timeout: 30000 });
    last = await page.getByTestId("task-id").textContent();
    await lib.videoPlays(page);
  }
  const genMs = Date.now() - t0;
  const history = await page.evaluate(() => JSON.parse(localStorage.getItem("seedance.playground.history") || "[]").length);
  const after = await memory();
  await context.close();
  const row = { tti, wall, before, after, genMs, history, errors };
  log(JSON.stringify(row));
  return `
## Playground

Release build (\`trunk build --release\`) served from 127.0.0.1 (so no network time), fresh
browser context each load (empty cache). *Interactive*: the prompt box exists and is enabled
(the form is drawn by the wasm, so the wasm has loaded and run), timed in the page from
navigation start; *wall*: Playwright's \`goto\` start to the Prompt field visible. Median of ${RUNS}.
Memory after generating ${N} videos one after the other against seedance-sim (\`--fast\`), each
played, after a GC: JS heap (CDP \`JSHeapUsedSize\`), wasm memory (\`memory.buffer.byteLength\`,
the first app's and, once Generate has loaded it, the jobs app's), and the renderer's
resident memory.

| figure | value |
|---|---:|
| time to interactive form (in page) | **${ms(median(tti))} ms** (min ${ms(Math.min(...tti))}, max ${ms(Math.max(...tti))}) |
| wall time, \`goto\` → Prompt visible | ${ms(median(wall))} ms |
| JS heap + wasm memory after load | ${mb(before.heap + before.wasm)} MB (${mb(before.heap)} + ${mb(before.wasm)}) |
| JS heap + wasm memory after ${N} videos (${history} in history) | **${mb(after.heap + after.wasm)} MB** (${mb(after.heap)} + ${mb(after.wasm)}) |
| renderer resident memory, after load → after ${N} videos | ${mb(before.rss)} → ${mb(after.rss)} MB |
| ${N} generations through the UI | ${(genMs / 1000).toFixed(1)} s |
${errors.length ? `\nPage errors: ${errors.join("; ")}\n` : ""}`;
}

// ---------------------------------------------------------------- MP4 concatenation
const CONCAT_PAGE = `<!doctype html><meta charset=utf-8><title>concat</title>
<script type=module>
import { concatMp4 } from "/mp4/index.js";
// The clips as a page holds them after downloading (one Uint8Array each, not timed).
window.load = async (names) => {
  window.clips = await Promise.all(names.map(async (n) => new Uint8Array(await (await fetch("/clips/" + n)).arrayBuffer())));
  return window.clips.reduce((a, c) => a + c.length, 0);
};
window.join = () => {
  const t0 = performance.now();
  const film = concatMp4(window.clips);
  const t = performance.now() - t0;
  window.out = film; // kept until drop(), so the memory figures include the result
  return { t, len: film.length };
};
window.digest = async () => [...new Uint8Array(await crypto.subtle.digest("SHA-256", window.out))]
  .map((b) => b.toString(16).padStart(2, "0")).join("");
window.drop = () => { window.out = undefined; };
window.ready = true;
</script>`;

async function concat(browser) {
  const names = fs.readFileSync(path.join(MP4_CLIPS, "list.txt"), "utf8").trim().split("\n")
    .map((l) => path.basename(l.match(/^file '(.*)'$/)[1]));
  const files = names.map((n) => path.join(MP4_CLIPS, n));
  const bytes = files.reduce((a, f) => a + fs.statSync(f).size, 0);
  const url = await serve({ "/mp4/": MP4_PKG, "/clips/": MP4_CLIPS, "/": CONCAT_PAGE });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "seedance-concat-"));
  cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // Native, on the same files and at the same moment: ffmpeg's stream copy, and our own
  // joiner's native build (mp4/bench built it), each as a process, best of RUNS.
  const best = (cmd, argv) => {
    let t = Infinity;
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(cmd, argv, { stdio: ["ignore", "ignore", "pipe"] });
      const dt = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
      t = Math.min(t, dt);
    }
    return t;
  };
  const list = path.join(tmp, "list.txt");
  fs.writeFileSync(list, files.map((f) => `file '${f}'\n`).join(""));
  const ffmpeg = best("ffmpeg", ["-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", list, "-c", "copy", path.join(tmp, "ffmpeg.mp4")]);
  const nativeBin = path.join(target, "release/examples/concat");
  const native = fs.existsSync(nativeBin) ? best(nativeBin, [path.join(tmp, "ours.mp4"), ...files]) : NaN;
  // The join alone, natively, clips in memory (as in the page): its own best of RUNS.
  const timeBin = path.join(target, "release/examples/concat_time");
  const inMemory = fs.existsSync(timeBin)
    ? Number(spawnSync(timeBin, [String(RUNS), ...files], { encoding: "utf8" }).stdout)
    : NaN;
  const nativeSha = fs.existsSync(path.join(tmp, "ours.mp4"))
    ? crypto.createHash("sha256").update(fs.readFileSync(path.join(tmp, "ours.mp4"))).digest("hex") : "";

  // Time: one page, a warm-up join, then RUNS joins with a GC before each.
  let { context, page, cdp } = await newBenchPage(browser, url);
  await page.evaluate((n) => load(n), names);
  await page.evaluate(() => join());
  const sha = await page.evaluate(() => digest());
  const t = [];
  for (let i = 0; i < RUNS; i++) {
    await page.evaluate(() => drop());
    await gc(cdp);
    t.push((await page.evaluate(() => join())).t);
  }
  await context.close();

  // Memory: a fresh page per join (the clips loaded, a GC, then the first join), the
  // renderer's peak resident memory during it less just before; median of MEM_RUNS.
  const mem = [];
  for (let i = 0; i < MEM_RUNS; i++) {
    ({ context, page, cdp } = await newBenchPage(browser, url));
    await page.evaluate((n) => load(n), names);
    await gc(cdp);
    const peak = peakWatch();
    await page.evaluate(() => join());
    mem.push(peak());
    await context.close();
  }
  const ours = Math.min(...t);
  const row = { bytes, clips: names.length, ours, median: median(t), ffmpeg, native, inMemory, peak: median(mem), same: sha === nativeSha };
  log(JSON.stringify(row));
  const rate = (ms_) => (bytes / 1e6 / (ms_ / 1000)).toFixed(0);
  const vs = (ms_) => `${(ffmpeg / ms_).toFixed(1)}×`;
  return `
### In Chromium

\`concatMp4\` from \`seedance/mp4\` (the npm package's web build, release, wasm-opt \`-Oz\`) in
headless Chromium ${browser.version()}, on the ${names.length} clips above (${(bytes / 1e6).toFixed(1)} MB), already in the page as
\`Uint8Array\`s, as a page holds downloaded clips (fetched from 127.0.0.1, not timed); the film
is a new \`Uint8Array\`. Best of ${RUNS} joins in one page after a warm-up, a GC before each
(median ${ms(median(t))} ms). Beside it, at the same moment and on the same files, best of ${RUNS}
each: the same join natively with the clips in memory (\`concat_time\` example), and as
processes that read the clips from files and write the film (page cache warm): our
\`concat\` example and ffmpeg. The page's figure is what a visitor waits for; ffmpeg's
includes its start and its file I/O, which a page does not have, so the ratio to ffmpeg
compares what each user runs, not equal work. Goal: at least ffmpeg's speed.

| joiner | time (ms) | MB/s | vs ffmpeg -f concat -c copy (goal ≥ 1×) |
|---|---:|---:|---:|
| \`concatMp4\` in Chromium (wasm), clips in memory | **${ms(ours)}** | ${rate(ours)} | **${vs(ours)}** |
| seedance-mp4 native, clips in memory | ${ms(inMemory)} | ${rate(inMemory)} | ${vs(inMemory)} |
| seedance-mp4 native, a process, files in and out | ${ms(native)} | ${rate(native)} | ${vs(native)} |
| ffmpeg -f concat -c copy, a process, files in and out | ${ms(ffmpeg)} | ${rate(ffmpeg)} | 1.0× |

Renderer peak during a join (its resident memory's peak less just before, first join in a
fresh page, median of ${MEM_RUNS} pages): ${mb(row.peak)} MiB, ${(row.peak / bytes).toFixed(2)}× the input; the clips are
already held, so this is the film and what the join needs beside it.
Same bytes as the native build: ${row.same ? "yes" : "**no**"} (SHA-256 of the film).
`;
}

// ---------------------------------------------------------------- main
let status_ = 0;
try {
  ensureBuilds();
  // lib.mjs reads SIM_URL and PLAYGROUND_DIST when loaded.
  if (only.has("playground")) process.env.SIM_URL = await startSim();
  process.env.PLAYGROUND_DIST = DIST;
  const lib = await import("./lib.mjs");
  const browser = await lib.launch();
  cleanups.push(() => browser.close());
  const out = [];
  if (only.has("dataurl")) out.push(await dataUrls(browser));
  if (only.has("downscale")) out.push(await downscale(browser));
  if (only.has("playground")) out.push(await playground(browser, lib));
  if (only.has("concat")) out.push(await concat(browser));
  process.stdout.write(out.join(""));
} catch (e) {
  console.error("bench failed:", e);
  status_ = 1;
} finally {
  await cleanup();
}
process.exit(status_);
