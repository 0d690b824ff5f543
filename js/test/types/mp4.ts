// seedance/mp4's declaration: this file must type-check, and each @ts-expect-error must be
// needed (checked by test/mp4.test.mjs).
import { concatMp4, type SeedanceMp4Error, type SeedanceMp4ErrorCode } from "seedance/mp4";

export function join(clips: Uint8Array[], buffers: ArrayBuffer[]): Uint8Array {
  const film: Uint8Array = concatMp4(clips);
  concatMp4(buffers);
  concatMp4([film, buffers[0]]);
  return film;
}

export function explain(e: unknown): string {
  const err = e as SeedanceMp4Error;
  const code: SeedanceMp4ErrorCode = err.code;
  const clip: number | undefined = err.clip;
  return `${err.name}: ${code} ${clip ?? "-"} ${err.message}`;
}

// @ts-expect-error one clip is not a list
concatMp4(new Uint8Array(8));
// @ts-expect-error file names are not bytes
concatMp4(["a.mp4"]);
// @ts-expect-error the film is bytes, not a promise
concatMp4([]).then(() => {});
// @ts-expect-error codes are a closed set
const wrong: SeedanceMp4ErrorCode = "oops";
