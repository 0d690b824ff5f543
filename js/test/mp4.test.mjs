// seedance/mp4 as a user imports it: concatMp4 on clips made by ffmpeg at test time must
// give byte for byte the film the native joiner (the crate's `concat` example) makes, and
// refuse bad clips with a SeedanceMp4Error naming the clip. Needs ffmpeg and cargo.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { Miniflare } from "miniflare";
import { concatMp4 } from "seedance/mp4";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const target = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
const native = path.join(target, "debug/examples/concat");
let dir;
const clips = {};

function ffmpeg(args) {
  try {
    return execFileSync("ffmpeg", ["-v", "error", "-y", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    if (e.code === "ENOENT") throw new Error("ffmpeg is needed by these tests and is not on PATH: apt-get install ffmpeg");
    throw new Error(`ffmpeg ${args.join(" ")} failed: ${e.stderr}`);
  }
}

// The recipe of mp4/tests/film/clips.rs: 2 s of colour at 24 fps, a quiet 300 Hz tone with a
// 20 ms burst at 1 s, H.264 High with B-frames and AAC-LC mono 48 kHz, one thread.
function makeClip(name, { color, burst, size = "640x360", faststart = true }) {
  const file = path.join(dir, `${name}.mp4`);
  const args = ["-f", "lavfi", "-i", `color=c=${color}:s=${size}:r=24:d=2`];
  if (burst) {
    const tone = `aevalsrc=0.1*sin(2*PI*300*t)+0.5*sin(2*PI*${burst}*t)*between(t\\,1\\,1.02):s=48000:d=2`;
    args.push("-f", "lavfi", "-i", tone);
  }
  args.push(..."-c:v libx264 -profile:v high -bf 2 -pix_fmt yuv420p -threads 1 -fflags +bitexact".split(" "));
  if (burst) args.push("-c:a", "aac", "-ac", "1", "-ar", "48000", "-shortest");
  if (faststart) args.push("-movflags", "+faststart");
  ffmpeg([...args, file]);
  clips[name] = { file, bytes: new Uint8Array(readFileSync(file)) };
}

function nativeFilm(names) {
  const out = path.join(dir, `native-${names.join("-")}.mp4`);
  execFileSync(native, [out, ...names.map((n) => clips[n].file)]);
  return new Uint8Array(readFileSync(out));
}

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), "seedance-mp4-"));
  execFileSync("cargo", ["build", "--locked", "-q", "-p", "seedance-mp4", "--example", "concat"], { cwd: root, stdio: "inherit" });
  const colours = ["red", "green", "blue", "yellow", "white"];
  colours.forEach((color, k) => makeClip(`c${k}`, { color, burst: 1000 * (k + 1), faststart: k !== 1 }));
  makeClip("quiet", { color: "black" });
  makeClip("square", { color: "red", burst: 1000, size: "480x480" });
});
after(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (...names) => names.map((n) => clips[n].bytes);

test("concatMp4 makes byte for byte the native joiner's film", () => {
  for (const names of [["c0", "c1", "c2", "c3", "c4"], ["c0", "quiet", "c2"], ["quiet", "c3"], ["c1"]]) {
    const film = concatMp4(bytes(...names));
    assert.ok(film instanceof Uint8Array);
    assert.ok(Buffer.from(film).equals(Buffer.from(nativeFilm(names))), `film of ${names} differs from the native one`);
  }
});

test("the film decodes without a message and lasts as long as its clips", () => {
  const film = path.join(dir, "js-film.mp4");
  writeFileSync(film, concatMp4(bytes("c0", "c1", "quiet", "c3")));
  assert.equal(execFileSync("ffmpeg", ["-v", "error", "-i", film, "-f", "null", "-"], { encoding: "utf8", stdio: "pipe" }), "");
  const probe = execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", film], { encoding: "utf8" });
  assert.ok(Math.abs(Number(probe) - 8) <= 3 / 24, `duration ${probe}`);
});

test("clips may be ArrayBuffers or views into larger buffers, and are left as they were", () => {
  const [a, b] = bytes("c0", "c2");
  const big = new Uint8Array(a.length + 13);
  big.set(a, 7);
  const view = big.subarray(7, 7 + a.length);
  const before = Buffer.from(big);
  const want = concatMp4([a, b]);
  assert.ok(Buffer.from(concatMp4([view, b.slice().buffer])).equals(Buffer.from(want)));
  assert.ok(Buffer.from(big).equals(before), "the caller's bytes are unchanged");
});

test("clips that cannot be joined are refused with a SeedanceMp4Error naming the clip", () => {
  const refused = (clips, code, clip, message) =>
    assert.throws(() => concatMp4(clips), (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, "SeedanceMp4Error");
      assert.equal(e.code, code);
      assert.equal(e.clip, clip);
      assert.match(e.message, message);
      return true;
    });
  const [c0, c1] = bytes("c0", "c1");
  refused([c0, clips.square.bytes], "video_mismatch", 1, /^clip 1 has different video from clip 0 \(480×480 vs 640×360\)/);
  refused([c0, c1.subarray(0, c1.length >> 1)], "truncated", 1, /^clip 1 is truncated/);
  refused([c0, c1, new TextEncoder().encode("<html>gone</html>")], "not_mp4", 2, /^clip 2 is not an MP4 file/);
  refused([], "no_clips", undefined, /^no clips to join/);
  refused([c0, "c1.mp4"], "bad_argument", 1, /^clip 1 is not a Uint8Array/);
  refused("c0.mp4", "bad_argument", undefined, /must be an array/);
});

test("the hand-written declaration accepts the usage and rejects each misuse", () => {
  // Exit status 0: mp4.ts type-checks and every @ts-expect-error in it was needed.
  const tsc = path.join(root, "js/node_modules/.bin/tsc");
  const flags = ["--noEmit", "--strict", "--target", "ES2022", "--module", "NodeNext", "--moduleResolution", "NodeNext"];
  execFileSync(tsc, [...flags, "test/types/mp4.ts"], { cwd: path.join(root, "js"), stdio: "pipe" });
});

test("the workerd entry joins clips inside workerd", async () => {
  const mf = new Miniflare({
    modules: true,
    modulesRoot: path.join(root, "js"),
    scriptPath: path.join(root, "js/test/worker/mp4-worker.mjs"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2025-01-01",
    cf: false,
  });
  try {
    const post = async (clips) => {
      const framed = (c) => {
        const head = Buffer.alloc(4);
        head.writeUInt32BE(c.length);
        return [head, Buffer.from(c)];
      };
      const body = Buffer.concat(clips.flatMap(framed));
      return mf.dispatchFetch("http://localhost/", { method: "POST", body });
    };
    const names = ["c0", "quiet", "c2"];
    const res = await post(bytes(...names));
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(nativeFilm(names))));
    const bad = await post([clips.c0.bytes, new TextEncoder().encode("nope")]);
    assert.equal(bad.status, 422);
    assert.deepEqual(await bad.json(), {
      name: "SeedanceMp4Error",
      code: "not_mp4",
      clip: 1,
      message: 'clip 1 is not an MP4 file (it is text starting "nope", perhaps an error page): pass the MP4 bytes of the video',
    });
  } finally {
    await mf.dispose();
  }
});
