#!/usr/bin/env node
// The secret scan: every test key carries the canary `seedance-canary`, and this reads
// what that same test run left in SEEDANCE_LOG_DIR — each stage's output, the simulators'
// request logs (`*.requests.json`) and the browser state the e2e tests saw
// (`*.browser.json`: URLs and storage) — and fails if the canary shows up anywhere it must
// not: a log line, a URL (path or query), a request body, a signed-URL request, storage.
// The one place a key belongs is the `Authorization` header of an API request.
//
//   node scripts/secret-scan.mjs DIR        scan a run's logs
//   node scripts/secret-scan.mjs --self-test  plant leaks in a scratch dir; each must fail
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const CANARY = "seedance-canary";

/** Every place the canary appears where it must not, as `file: where: excerpt`. */
export function scan(dir) {
  const leaks = [];
  let used = 0;
  const excerpt = (s) => {
    const i = s.indexOf(CANARY);
    return JSON.stringify(s.slice(Math.max(0, i - 40), i + CANARY.length + 20));
  };
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (!fs.statSync(file).isFile()) continue;
    const text = fs.readFileSync(file, "utf8");
    if (name.endsWith(".requests.json")) {
      for (const [i, e] of JSON.parse(text).entries()) {
        const where = `${name}: request ${i} (${e.method} ${e.path})`;
        const isMedia = String(e.path ?? "").startsWith("/tos/");
        for (const [k, v] of Object.entries(e.headers ?? {})) {
          // The API's own Authorization header is where the key belongs; a signed media
          // URL must never get it (nor any other header).
          if (k === "authorization" && !isMedia) {
            if (String(v).includes(CANARY)) used++;
            continue;
          }
          if (String(v).includes(CANARY)) leaks.push(`${where}: header ${k}: ${excerpt(String(v))}`);
        }
        const rest = JSON.stringify({ path: e.path, query: e.query, body: e.body });
        if (rest.includes(CANARY)) leaks.push(`${where}: ${excerpt(rest)}`);
      }
    } else {
      // Logs and browser state: the canary may not appear at all.
      text.split("\n").forEach((line, i) => {
        if (line.includes(CANARY)) leaks.push(`${name}:${i + 1}: ${excerpt(line)}`);
      });
    }
  }
  return Object.assign(leaks, { used });
}

function selfTest() {
  const key = `sk-${CANARY}-selftest`;
  const clean = {
    "stage.log": "test ok\nAuthorization: Bearer sk-****test\n",
    "sim.requests.json": JSON.stringify([
      { method: "POST", path: "/seedance/api/v3/contents/generations/tasks", query: null, headers: { authorization: `Bearer ${key}` }, body: { model: "m" } },
      { method: "GET", path: "/tos/cgt-1.mp4", query: "X-Tos-Signature=ab", headers: {}, body: null },
    ]),
    "e2e.browser.json": JSON.stringify({ urls: ["http://127.0.0.1:8080/"], localStorage: { history: "[]" } }),
  };
  const planted = [
    ["a log line", { "stage.log": `error: bad key ${key}\n` }],
    ["a URL query", { "sim.requests.json": JSON.stringify([{ method: "GET", path: "/seedance/api/v3/contents/generations/tasks/cgt-1", query: `api_key=${key}`, headers: {}, body: null }]) }],
    ["a signed-URL request", { "sim.requests.json": JSON.stringify([{ method: "GET", path: "/tos/cgt-1.mp4", query: "", headers: { authorization: `Bearer ${key}` }, body: null }]) }],
    ["a request body", { "sim.requests.json": JSON.stringify([{ method: "POST", path: "/x", query: null, headers: {}, body: { key } }]) }],
    ["localStorage", { "e2e.browser.json": JSON.stringify({ urls: [], localStorage: { apiKey: key } }) }],
  ];
  const write = (files) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-scan-"));
    for (const [k, v] of Object.entries(files)) fs.writeFileSync(path.join(dir, k), v);
    return dir;
  };
  const cleanLeaks = scan(write(clean));
  if (cleanLeaks.length) throw new Error(`self-test: a clean run was flagged: ${cleanLeaks.join("; ")}`);
  for (const [what, files] of planted) {
    const leaks = scan(write({ ...clean, ...files }));
    if (leaks.length === 0) throw new Error(`self-test: a key planted in ${what} was not found`);
    // Redacted: this output lands in the run's own logs, which the real scan reads next.
    console.log(`self-test: a key planted in ${what} is caught: ${leaks[0].replaceAll(CANARY, "<canary>")}`);
  }
  console.log("self-test: the clean run passes");
}

const arg = process.argv[2];
if (arg === "--self-test") {
  selfTest();
} else if (arg) {
  const files = fs.readdirSync(arg).filter((n) => fs.statSync(path.join(arg, n)).isFile());
  if (files.length === 0) {
    console.error(`secret-scan: ${arg} holds no logs: nothing was scanned`);
    process.exit(1);
  }
  const leaks = scan(arg);
  if (leaks.used === 0) {
    console.error("secret-scan: no API request carried the canary key: the tests did not use it, so this scan proves nothing");
    process.exit(1);
  }
  if (leaks.length) {
    console.error(`secret-scan: the canary key leaked ${leaks.length} time(s):\n${leaks.join("\n")}`);
    process.exit(1);
  }
  console.log(
    `secret-scan: ${files.length} files of this run scanned; the canary key went to the API ` +
      `${leaks.used} times (Authorization) and appeared nowhere else`,
  );
} else {
  console.error("usage: secret-scan.mjs DIR | --self-test");
  process.exit(2);
}
