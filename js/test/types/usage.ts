// Every public function, method and option of the package, type-checked by `tsc` against
// the published declaration, and run by test/types.test.mjs against the simulator.
import {
  SeedanceClient,
  validateRequest,
  estimateCost,
  toDataUrl,
  textToVideo,
  firstFrame,
  firstLastFrame,
  reference,
  type CreateTaskRequest,
  type Task,
  type TaskList,
  type Progress,
  type Validation,
  type Estimate,
  type SeedanceError,
  type Issue,
} from "seedance";

export async function main(baseUrl: string, png: Uint8Array<ArrayBuffer>): Promise<string[]> {
  const seen: string[] = [];
  const client = new SeedanceClient({
    apiKey: "sk-types-usage",
    baseUrl,
    poll: {
      firstDelayMs: 100,
      intervalMs: 100,
      growth: 1,
      maxDelayMs: 200,
      jitter: 0,
      deadlineMs: 60_000,
      maxRequests: 500,
      maxRetries: 3,
      retryBaseMs: 100,
    },
    timeoutMs: 30_000,
    headers: { "X-Client-Id": "usage" },
    allowHttp: true,
    limits: { max_images: 9 },
    idempotency: false,
  });
  const image: string = await toDataUrl(new Blob([png]), "image/png");
  const requests: CreateTaskRequest[] = [
    textToVideo("doubao-seedance-2-0-fast-260128", "waves"),
    firstFrame("doubao-seedance-2-0-fast-260128", image, "zoom out"),
    firstLastFrame("doubao-seedance-2-0-260128", image, image),
    reference("doubao-seedance-2-0-260128", "use them", { images: [image], videos: [], audios: [] }),
    {
      model: "doubao-seedance-2-0-fast-260128",
      content: [{ type: "text", text: "literal" }],
      resolution: "480p",
      ratio: "9:16",
      duration: -1,
      generate_audio: false,
      watermark: false,
      seed: 42,
      return_last_frame: true,
      execution_expires_after: 3600,
    },
  ];
  for (const r of requests) {
    const v: Validation = validateRequest(r, { allow_http: true });
    const e: Estimate = estimateCost(r, { currency: "USD", prices: [{ per_million_tokens: 1, resolution: "480p" }] });
    seen.push(`${v.ok}:${v.mode}:${e.tokens_max > 0}`);
  }
  const ac = new AbortController();
  const created = await client.createTask(requests[0], { signal: ac.signal, idempotencyKey: "usage-1" });
  const task: Task = await client.getTask(created.id, { signal: ac.signal });
  seen.push(task.status);
  const done = await client.waitForTask(created.id, {
    signal: ac.signal,
    timeoutMs: 30_000,
    poll: { intervalMs: 100 },
    cancelOnAbort: false,
    onProgress: (p: Progress) => seen.push(`poll ${p.polls} ${p.status ?? p.error} next ${p.nextPollInMs}`),
  });
  const video: Uint8Array = await client.fetchBytes(done.content?.video_url ?? "", { signal: ac.signal });
  seen.push(`video ${video.length > 0}`);
  const generated = await client.generate(requests[4], {
    onTaskCreated: (id: string) => seen.push(`created ${id.startsWith("cgt-")}`),
  });
  seen.push(`last frame ${typeof generated.content?.last_frame_url}`);
  const list: TaskList = await client.listTasks({ pageNum: 1, pageSize: 10, status: "succeeded", model: "doubao-seedance-2-0-fast-260128", taskIds: [created.id] });
  seen.push(`listed ${list.items.length}`);
  const recent: Task[] = await client.findRecent({ model: "doubao-seedance-2-0-fast-260128", createdAfter: 0, maxPages: 1, pageSize: 50 });
  seen.push(`recent ${recent.length}`);
  await client.deleteTask(created.id);
  try {
    await client.createTask({ ...requests[0], duration: 99 });
  } catch (err) {
    const e = err as SeedanceError;
    switch (e.name) {
      case "SeedanceValidationError":
        seen.push(e.issues.map((i: Issue) => `${i.field}=${i.given}`).join());
        break;
      case "SeedanceApiError":
        seen.push(`${e.status} ${e.code ?? ""} ${e.requestId ?? ""} ${e.retryAfterMs ?? ""}`);
        break;
      case "SeedanceTaskFailedError":
        seen.push(`${e.taskId} ${e.task.status}`);
        break;
      case "SeedanceOutcomeUnknownError":
        seen.push(`${e.model} ${e.sentAt}`);
        break;
      case "AbortError":
      case "SeedanceTimeoutError":
      case "SeedanceNetworkError":
      case "SeedanceUnsupportedError":
      case "SeedanceNotCancellableError":
        seen.push(e.name);
        break;
    }
  }
  client.free();
  return seen;
}
