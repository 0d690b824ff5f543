// seedance/mp4: join MP4 clips into one film without re-encoding (hand-written; the
// Rust side is mp4/src/js.rs).

/** What kind of problem a {@link SeedanceMp4Error} reports. */
export type SeedanceMp4ErrorCode =
  | "bad_argument"
  | "no_clips"
  | "not_mp4"
  | "truncated"
  | "malformed"
  | "unsupported"
  | "no_video"
  | "video_mismatch"
  | "audio_mismatch"
  | "no_silence"
  | "too_large"
  | "read";

/** The error `concatMp4` throws: an `Error` whose message names the clip and what to do. */
export interface SeedanceMp4Error extends Error {
  name: "SeedanceMp4Error";
  code: SeedanceMp4ErrorCode;
  /** The index of the clip the error is about, when it is about one. */
  clip?: number;
}

/**
 * Join MP4 clips (H.264 + AAC, in order) into one progressive MP4 with `moov` first.
 *
 * Every frame is kept; the sound stays within one AAC frame of the picture at every seam,
 * and a clip without sound gets silent AAC frames. The clips must share one video encoding
 * (size, profile, SPS/PPS) and one audio format. The result is byte for byte what the Rust
 * crate `seedance-mp4` makes from the same clips. Needs about the clips' size again in
 * memory for the film; the clips are not modified.
 *
 * @throws {SeedanceMp4Error} naming the clip: not an MP4, truncated, fragmented, or
 *   encoded differently from clip 0 (e.g. `640×360 vs 480×480`).
 *
 * @example
 * import { concatMp4 } from "seedance/mp4";
 * const film = concatMp4([clip1, clip2, clip3]); // Uint8Array each
 * video.src = URL.createObjectURL(new Blob([film], { type: "video/mp4" }));
 */
export function concatMp4(clips: ReadonlyArray<Uint8Array | ArrayBuffer>): Uint8Array;
