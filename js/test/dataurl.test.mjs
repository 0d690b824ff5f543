// toDataUrl works in pieces (Blob slices, 768 KiB encode chunks): every size around a piece
// boundary, from every input type, must give exactly what Node's own base64 gives, and the
// caller's buffer must stay usable.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { toDataUrl } from "seedance";

const CHUNK = 786_432; // the encoder's piece
const SLICE = 6_291_456; // the Blob reader's slice

test("toDataUrl equals Node's base64 at every piece boundary, for every input type", async () => {
  for (const n of [0, 1, 2, 3, CHUNK - 1, CHUNK, CHUNK + 1, SLICE - 1, SLICE, SLICE + 1, 7 * CHUNK + 5]) {
    const b = crypto.randomBytes(n);
    const want = "data:application/x-test;base64," + b.toString("base64");
    const inputs = [new Uint8Array(b), b.buffer.slice(b.byteOffset, b.byteOffset + n), new Blob([b]), new Uint8Array(b).subarray(0)];
    for (const input of inputs) {
      assert.equal(await toDataUrl(input, "application/x-test"), want, `${n} bytes from a ${input.constructor.name}`);
    }
  }
});

test("toDataUrl sniffs a large Blob, reads only a view's bytes, and leaves the caller's buffer alone", async () => {
  const png = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), crypto.randomBytes(7_000_000)]);
  const u = new Uint8Array(png);
  assert.equal(await toDataUrl(new Blob([png])), "data:image/png;base64," + png.toString("base64"));
  assert.equal(await toDataUrl(u), "data:image/png;base64," + png.toString("base64"));
  assert.equal(u.byteLength, png.length, "the caller's buffer is not detached");
  const big = new Uint8Array(100);
  big.set(png.subarray(0, 50), 10);
  assert.equal(await toDataUrl(big.subarray(10, 60)), "data:image/png;base64," + png.subarray(0, 50).toString("base64"));
  await assert.rejects(toDataUrl(new Blob([crypto.randomBytes(7_000_000)])), { name: "SeedanceValidationError" });
});
