// A Worker that uses the package's workerd entry: generate against the simulator.
import { SeedanceClient, textToVideo } from "../../pkg/workerd/index.js";

export default {
  async fetch(request, env) {
    const client = new SeedanceClient({
      apiKey: "sk-seedance-canary-workerd",
      baseUrl: env.SIM_API,
      allowHttp: true,
      poll: { firstDelayMs: 100, intervalMs: 100, maxDelayMs: 200, jitter: 0 },
    });
    const events = [];
    try {
      const task = await client.generate(textToVideo("doubao-seedance-2-0-fast-260128", "at the edge"), {
        onTaskCreated: (id) => events.push(`created:${id}`),
        onProgress: (p) => events.push(p.status),
      });
      return Response.json({ task, events });
    } catch (e) {
      return Response.json({ error: { name: e.name, message: e.message }, events }, { status: 500 });
    }
  },
};
