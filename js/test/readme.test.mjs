// The README's JavaScript examples, executed verbatim against the simulator.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { startSim } from "./sim.mjs";

const js = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const readme = readFileSync(path.join(js, "../README.md"), "utf8");
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
let sim;
before(async () => (sim = await startSim()));
after(() => sim.stop());

test("the README has JavaScript examples", () => assert.ok(blocks.length >= 1));

blocks.forEach((code, i) => {
  test(`README example ${i + 1} runs as written`, () => {
    // Inside js/ so that `import "seedance"` resolves to the built package.
    const dir = path.join(js, "test/.readme");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `example-${i + 1}.mjs`);
    writeFileSync(file, code);
    const out = execFileSync(process.execPath, [file], {
      env: { ...process.env, SEEDANCE_API_KEY: "sk-seedance-canary-readme", SEEDANCE_BASE_URL: sim.api },
      encoding: "utf8",
    });
    rmSync(dir, { recursive: true, force: true });
    assert.match(out, /created cgt-/);
    assert.match(out, /video: http:\/\/127\.0\.0\.1:\d+\/tos\//);
  });
});
