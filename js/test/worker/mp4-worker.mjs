// A Worker that uses seedance/mp4's workerd entry: the request body is the clips, each
// prefixed by its length (u32, big-endian); the answer is the film, or the error as JSON.
import { concatMp4 } from "../../pkg/mp4/workerd/index.js";

export default {
  async fetch(request) {
    const body = new Uint8Array(await request.arrayBuffer());
    const view = new DataView(body.buffer);
    const clips = [];
    for (let at = 0; at < body.length; ) {
      const len = view.getUint32(at);
      clips.push(body.subarray(at + 4, at + 4 + len));
      at += 4 + len;
    }
    try {
      return new Response(concatMp4(clips), { headers: { "content-type": "video/mp4" } });
    } catch (e) {
      return Response.json({ name: e.name, code: e.code, clip: e.clip, message: e.message }, { status: 422 });
    }
  },
};
