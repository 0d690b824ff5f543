// One misuse per public function, method and option: each line must fail to type-check
// (`tsc` reports an unused @ts-expect-error if the declaration ever accepts it).
import {
  SeedanceClient,
  validateRequest,
  estimateCost,
  toDataUrl,
  textToVideo,
  firstFrame,
  firstLastFrame,
  reference,
  type Task,
} from "seedance";

declare const c: SeedanceClient;
const req = textToVideo("doubao-seedance-2-0-fast-260128", "x");

// @ts-expect-error apiKey is a string
new SeedanceClient({ apiKey: 42 });
// @ts-expect-error baseUrl is a string
new SeedanceClient({ baseUrl: new URL("https://x") });
// @ts-expect-error unknown option
new SeedanceClient({ apikey: "sk-x" });
// @ts-expect-error poll.firstDelayMs is a number
new SeedanceClient({ poll: { firstDelayMs: "5s" } });
// @ts-expect-error timeoutMs is a number
new SeedanceClient({ timeoutMs: "60s" });
// @ts-expect-error headers are strings
new SeedanceClient({ headers: { "X-A": 1 } });
// @ts-expect-error allowHttp is a boolean
new SeedanceClient({ allowHttp: "yes" });
// @ts-expect-error limits use the API's snake_case names
new SeedanceClient({ limits: { maxImages: 3 } });
// @ts-expect-error idempotency is a boolean
new SeedanceClient({ idempotency: 1 });

// @ts-expect-error a request needs a model
c.createTask({ content: [] });
// @ts-expect-error resolution is one of the tiers
c.createTask({ ...req, resolution: "4k" });
// @ts-expect-error ratio is one of the listed ratios
c.createTask({ ...req, ratio: "2:1" });
// @ts-expect-error duration is a number
c.createTask({ ...req, duration: "5" });
// @ts-expect-error generate_audio is a boolean
c.createTask({ ...req, generate_audio: "false" });
// @ts-expect-error content items have a known type
c.createTask({ ...req, content: [{ type: "html", html: "<b>" }] });
// @ts-expect-error an image's role is a known role
c.createTask({ ...req, content: [{ type: "image_url", image_url: { url: "x" }, role: "hero" }] });
// @ts-expect-error idempotencyKey is a string
c.createTask(req, { idempotencyKey: 1 });
// @ts-expect-error signal is an AbortSignal
c.getTask("cgt-1", { signal: new AbortController() });
// @ts-expect-error the id is a string
c.getTask(1);
// @ts-expect-error pageSize is a number
c.listTasks({ pageSize: "10" });
// @ts-expect-error taskIds is a list
c.listTasks({ taskIds: "cgt-1" });
// @ts-expect-error deleteTask takes an id
c.deleteTask();
// @ts-expect-error onProgress receives a Progress
c.waitForTask("cgt-1", { onProgress: (p: string) => p });
// @ts-expect-error timeoutMs is a number
c.waitForTask("cgt-1", { timeoutMs: "1m" });
// @ts-expect-error cancelOnAbort is a boolean
c.waitForTask("cgt-1", { cancelOnAbort: "yes" });
// @ts-expect-error poll options are numbers
c.waitForTask("cgt-1", { poll: { jitter: "none" } });
// @ts-expect-error onTaskCreated receives the id string
c.generate(req, { onTaskCreated: (id: number) => id });
// @ts-expect-error fetchBytes takes a URL string
c.fetchBytes(new URL("https://x"));
// @ts-expect-error createdAfter is Unix seconds
c.findRecent({ createdAfter: new Date() });
// @ts-expect-error the result is a task list, not an array
const items: Task[] = await c.listTasks();
// @ts-expect-error limits are snake_case
validateRequest(req, { maxImages: 1 });
// @ts-expect-error a price needs per_million_tokens
estimateCost(req, { currency: "USD", prices: [{ model: "x" }] });
// @ts-expect-error toDataUrl takes bytes or a Blob
toDataUrl("data:x");
// @ts-expect-error textToVideo needs a prompt
textToVideo("doubao-seedance-2-0-fast-260128");
// @ts-expect-error firstFrame needs an image
firstFrame("doubao-seedance-2-0-fast-260128");
// @ts-expect-error firstLastFrame needs both frames
firstLastFrame("doubao-seedance-2-0-fast-260128", "a");
// @ts-expect-error reference media are lists of URLs
reference("doubao-seedance-2-0-fast-260128", "p", { images: "a.png" });
// @ts-expect-error the task status is not a number
const s: number = (await c.getTask("cgt-1")).status;
void items;
void s;
