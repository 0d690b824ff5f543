// Shared helpers for the playground's end-to-end tests: a static server for dist/ under a
// path prefix (like GitHub Pages) that proxies the API prefix and /_sim/ to seedance-sim
// (like `trunk serve` does), the browser, the simulator's control API, screenshots.
import { before, after, beforeEach } from "node:test";
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { ownSim, ownWorker } from "./own.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
/** SIM_URL, or with E2E_OWN_SIM=1 this file's own simulator (own.mjs: files run in parallel). */
export const SIM = process.env.SIM_URL || (process.env.E2E_OWN_SIM ? await ownSim() : "http://127.0.0.1:18788");
export const DIST = path.resolve(process.env.PLAYGROUND_DIST || path.join(here, "..", "dist"));
export const PREFIX = "/some/prefix/";
/**
 * Set (by scripts/test-playground's second run) to the Worker's API base: every page then
 * goes through the Worker in "Your proxy" mode, with the simulator as its upstream.
 */
export const PROXY = process.env.E2E_PROXY_URL || (process.env.E2E_OWN_WORKER ? await ownWorker(SIM) : "");

/**
 * The simulator's id of a task the page shows. Through the Worker a visitor sees
 * `cgt-<base64url(id)>.<mac>`; the simulator (and its media URLs) use the id inside.
 */
export function rawId(shown) {
  const m = PROXY && /^cgt-([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+$/.exec(shown);
  return m ? Buffer.from(m[1], "base64url").toString() : shown;
}
export const SHOTS = path.join(here, "screenshots");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** Serve dist/ under PREFIX; proxy PREFIX + "seedance/api/v3/…" and PREFIX + "_sim/…". */
export async function startSite() {
  const sim = new URL(SIM);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (!url.pathname.startsWith(PREFIX)) {
      res.writeHead(404).end("outside the prefix");
      return;
    }
    const rest = url.pathname.slice(PREFIX.length);
    if (rest.startsWith("seedance/api/v3") || rest.startsWith("_sim/")) {
      const headers = { ...req.headers, host: sim.host };
      delete headers.origin; // same-origin for the page: the proxy speaks for it
      const up = http.request(
        { host: sim.hostname, port: sim.port, method: req.method, path: "/" + rest + url.search, headers },
        (upRes) => {
          res.writeHead(upRes.statusCode, upRes.headers);
          upRes.pipe(res);
        },
      );
      up.on("error", () => res.writeHead(502).end("simulator unreachable"));
      req.pipe(up);
      return;
    }
    const file = path.join(DIST, rest === "" ? "index.html" : rest);
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    if (path.basename(file) === "index.html") {
      // Like scripts/dev (Trunk.toml's hook): tell the page a simulator is beside it.
      const html = fs.readFileSync(file, "utf8");
      res.end(html.replace("</head>", '<meta name="seedance-sim" content="_sim/" /></head>'));
      return;
    }
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${PREFIX}`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A fresh page (fresh storage) at the site, with console errors collected. */
export async function openPage(browser, site, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  const urls = [];
  page.on("request", (r) => urls.push(r.url()));
  // Under scripts/test, what the browser held goes to the run's logs for the secret scan.
  const close = context.close.bind(context);
  context.close = async (...args) => {
    await saveBrowserState(context, urls);
    return close(...args);
  };
  await page.goto(site.url);
  // The page finds the simulator beside it and picks it.
  await page.getByRole("radio", { name: "Local simulator" }).waitFor();
  await page.waitForFunction(() => document.querySelector('input[name="backend"]')?.checked === true);
  if (PROXY) {
    await page.getByRole("radio", { name: "Your proxy" }).check();
    await page.getByLabel("Proxy URL").fill(PROXY);
  }
  return { context, page, errors, urls };
}

/**
 * Register the hooks of a file of page tests: before them all a site and a browser (then
 * `setup(env)`, e.g. a Worker), after them all their end (`teardown(env)` first), and a
 * clean simulator before each test. Returns `env`: `site` and `browser` once the tests run,
 * `tmp` (a scratch directory, removed at the end), and `open(viewport)`, a fresh page.
 */
export function pageTests({ setup, teardown } = {}) {
  const env = { site: null, browser: null, tmp: fs.mkdtempSync(path.join(os.tmpdir(), "pg-e2e-")) };
  env.open = (viewport) => openPage(env.browser, env.site, viewport);
  before(async () => {
    env.site = await startSite();
    env.browser = await launch();
    await setup?.(env);
  });
  after(async () => {
    await teardown?.(env);
    await env.browser?.close();
    await env.site?.close();
    fs.rmSync(env.tmp, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await resetSim();
  });
  return env;
}

export async function simGet(p) {
  const r = await fetch(SIM + p);
  if (!r.ok) throw new Error(`${p}: HTTP ${r.status}`);
  return r.json();
}

export async function simPost(p, body) {
  const r = await fetch(SIM + p, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
  if (!r.ok) throw new Error(`${p}: HTTP ${r.status}`);
  return r.text();
}

let saved = 0;

/** Write the URLs a context's pages requested and their localStorage to SEEDANCE_LOG_DIR. */
async function saveBrowserState(context, urls) {
  const dir = process.env.SEEDANCE_LOG_DIR;
  if (!dir) return;
  const localStorage = [];
  for (const p of context.pages()) {
    localStorage.push(await p.evaluate(() => ({ ...window.localStorage })).catch(() => ({})));
  }
  const file = path.join(dir, `e2e-${process.pid}-${++saved}.browser.json`);
  fs.writeFileSync(file, JSON.stringify({ urls, localStorage }));
}

/** Under scripts/test, keep the simulator's request log before it is cleared. */
async function saveSimLog() {
  const dir = process.env.SEEDANCE_LOG_DIR;
  if (!dir) return;
  const log = await simGet("/_sim/requests");
  fs.writeFileSync(path.join(dir, `e2e-${process.pid}-${++saved}.requests.json`), JSON.stringify(log));
}

export const resetSim = async () => {
  await saveSimLog();
  return simPost("/_sim/reset");
};

/** The API requests the simulator received (control and media routes left out). */
export async function apiRequests() {
  const all = await simGet("/_sim/requests");
  return all.filter((r) => r.path.includes("/contents/generations/tasks"));
}

/** The creates (POSTs) among them. */
export const creates = async () => (await apiRequests()).filter((r) => r.method === "POST");

export async function shot(page, name) {
  // The screenshots are of the first run; the run through the Worker looks the same.
  if (PROXY) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  // From the top: a click scrolls the page, and the sticky task panel would then sit
  // lower in a full-page picture than anyone sees it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

// A PNG file of w×h RGB pixels (a gradient tinted by `seed`), built with zlib only.
export function png(w, h, seed = 0) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const i = y * (w * 3 + 1) + 1 + x * 3;
      raw[i] = (x + seed * 40) & 0xff;
      raw[i + 1] = (y + seed * 90) & 0xff;
      raw[i + 2] = (seed * 70) & 0xff;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Wait until the page's <video> can play: readyState >= 2 and a duration. */
export async function videoPlays(page) {
  await page.waitForFunction(() => {
    const v = document.querySelector("video");
    return v && v.readyState >= 2 && v.duration > 0;
  }, null, { timeout: 20000 });
  return page.evaluate(() => {
    const v = document.querySelector("video");
    return { readyState: v.readyState, duration: v.duration, src: v.currentSrc };
  });
}
