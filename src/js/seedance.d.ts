
// ---- The API's values (snake_case, exactly as the Seedance task API sends them) ----

/** A Seedance model id. Other ids are sent as given (validation warns). */
export type Model =
  | "doubao-seedance-2-0-260128"
  | "doubao-seedance-2-0-fast-260128"
  | (string & {});
/** Output resolution tier; 1080p needs the standard model. */
export type Resolution = "480p" | "720p" | "1080p";
/** Output aspect ratio; `adaptive` fits the input image. */
export type Ratio = "16:9" | "4:3" | "1:1" | "3:4" | "9:16" | "21:9" | "adaptive";
/** Role of a media item; frame and reference roles never mix. */
export type Role =
  | "first_frame"
  | "last_frame"
  | "reference_image"
  | "reference_video"
  | "reference_audio";
/** Where a task is. Unknown future values are passed through as strings. */
export type TaskStatus =
  | "queued"
  | "running"
  | "succeeded"
  | "failed"
  | "expired"
  | "cancelled"
  | (string & {});
/** The generation mode a request's content selects. */
export type Mode = "text_to_video" | "first_frame" | "first_last_frame" | "reference";

/** One item of `content`. URLs are https://, data: (images, audio) or asset://. */
export type ContentItem =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string }; role?: Role }
  | { type: "video_url"; video_url: { url: string }; role?: "reference_video" }
  | { type: "audio_url"; audio_url: { url: string }; role?: "reference_audio" };

/** The body of a create. Unset fields take the server's defaults. */
export interface CreateTaskRequest {
  model: Model;
  content: ContentItem[];
  /** Default `720p`. */
  resolution?: Resolution;
  /** Default `adaptive`. */
  ratio?: Ratio;
  /** Whole seconds 4..=15, or -1 to let the model choose. Default 5. */
  duration?: number;
  /** Sound on or off. The server's default is **true**: send `false` for silence. */
  generate_audio?: boolean;
  watermark?: boolean;
  /** -1 (random) ..= 4294967295. */
  seed?: number;
  /** Also return the last frame as a PNG, to chain the next clip from it. */
  return_last_frame?: boolean;
  /** 3600..=259200 seconds. */
  execution_expires_after?: number;
  callback_url?: string;
}

/** The answer to a create. */
export interface CreatedTask {
  id: string;
}

/** A task as the server reports it; fields it adds later are kept. */
export interface Task {
  id: string;
  status: TaskStatus;
  model?: Model;
  /** Signed URLs, valid about 24 h: fetch them with a plain GET, never with the key. */
  content?: { video_url?: string; last_frame_url?: string };
  /** Billed tokens, once succeeded. */
  usage?: { completion_tokens: number; total_tokens: number };
  /** Why it failed, when failed. */
  error?: { code: string; message: string };
  created_at?: number;
  updated_at?: number;
  seed?: number;
  resolution?: Resolution | (string & {});
  ratio?: Ratio | (string & {});
  duration?: number;
  framespersecond?: number;
  generate_audio?: boolean;
  draft?: boolean;
  return_last_frame?: boolean;
  execution_expires_after?: number;
  [field: string]: unknown;
}

/** One page of tasks. */
export interface TaskList {
  total: number;
  items: Task[];
}

// ---- Validation and cost ----

/** One problem with a request: the field (a JSON path), the value given, what is allowed. */
export interface Issue {
  field: string;
  rule: string;
  given: string;
  allowed: string;
  severity: "error" | "warning";
}

/** The outcome of `validateRequest`. */
export interface Validation {
  /** True when nothing blocks the request (warnings allowed). */
  ok: boolean;
  mode: Mode | null;
  issues: Issue[];
}

/** Limits validation enforces (snake_case); defaults are the documented ones. */
export interface Limits {
  max_images: number;
  max_videos: number;
  max_audios: number;
  min_image_side: number;
  max_image_side: number;
  min_aspect: number;
  max_aspect: number;
  max_image_bytes: number;
  max_video_bytes: number;
  max_audio_bytes: number;
  audio_seconds: [number, number];
  max_total_audio_seconds: number;
  max_body_bytes: number;
  allow_http: boolean;
  allow_video_data_urls: boolean;
}

/** A price per million tokens; a field left out matches any value. */
export interface Price {
  model?: string | null;
  resolution?: Resolution | null;
  with_video_input?: boolean | null;
  per_million_tokens: number;
}

/** Your prices (they change: none are built in). */
export interface PriceTable {
  currency: string;
  prices: Price[];
}

/** A token estimate, and money when prices were given and one matched. */
export interface Estimate {
  tokens_min: number;
  tokens_max: number;
  seconds_min: number;
  seconds_max: number;
  width: number;
  height: number;
  price: { min: number; max: number; currency: string } | null;
}

// ---- Client options ----

/** How often to poll; every field is optional over the defaults. */
export interface PollOptions {
  firstDelayMs?: number;
  intervalMs?: number;
  growth?: number;
  maxDelayMs?: number;
  jitter?: number;
  /** Stop waiting after this long (the task goes on on the server). */
  deadlineMs?: number;
  maxRequests?: number;
  maxRetries?: number;
  retryBaseMs?: number;
}

export interface ClientOptions {
  /** Leave out when talking to a proxy that adds the key (the Worker). */
  apiKey?: string;
  /** Default `https://api.apiyi.com/seedance/api/v3`. */
  baseUrl?: string;
  poll?: PollOptions;
  /** Per HTTP request; default 60000. */
  timeoutMs?: number;
  /** Extra headers on API requests (not on signed result URLs). */
  headers?: Record<string, string>;
  /** Accept plain http:// media URLs (a local simulator). */
  allowHttp?: boolean;
  limits?: Partial<Limits>;
  /** Send a fresh `Idempotency-Key` with every create (a proxy may honour it). */
  idempotency?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface CreateOptions extends CallOptions {
  /** Keep one key across your own retries of one logical create. */
  idempotencyKey?: string;
}

/** What one poll saw. */
export interface Progress {
  taskId: string;
  /** `null` when this poll failed (see `error`); it is retried if `nextPollInMs` is set. */
  status: TaskStatus | null;
  polls: number;
  elapsedMs: number;
  nextPollInMs: number | null;
  error: string | null;
}

export interface WaitOptions extends CallOptions {
  onProgress?: (progress: Progress) => void;
  /** Stop waiting after this long (a `SeedanceTimeoutError`; the task goes on). */
  timeoutMs?: number;
  poll?: PollOptions;
  /** On abort, DELETE the task if it is still queued (so it is not billed). */
  cancelOnAbort?: boolean;
}

export interface GenerateOptions extends WaitOptions {
  /** Called with the task id the moment it exists: keep it, and nothing can lose the task. */
  onTaskCreated?: (taskId: string) => void;
}

export interface ListQuery {
  pageNum?: number;
  /** 1..=500. */
  pageSize?: number;
  status?: TaskStatus;
  model?: string;
  taskIds?: string[];
}

/** Recent tasks to look for; a `SeedanceOutcomeUnknownError` can be passed as is. */
export interface RecentFilter {
  model?: string;
  /** Unix seconds. */
  createdAfter?: number;
  /** Unix seconds of a create whose outcome is unknown (a minute of slack is added). */
  sentAt?: number;
  status?: TaskStatus;
  maxPages?: number;
  pageSize?: number;
}

// ---- Errors: tell them apart by `name` ----

interface SeedanceErrorFields extends Error {
  /** Whether the same call may succeed later. */
  retryable: boolean;
  code?: string;
  status?: number;
  /** The task concerned, whenever one exists. */
  taskId?: string;
  requestId?: string;
}

/** The request breaks documented rules; nothing was sent. */
export interface SeedanceValidationError extends SeedanceErrorFields {
  name: "SeedanceValidationError";
  issues: Issue[];
}
/** The server answered with an error status (or an unreadable success). */
export interface SeedanceApiError extends SeedanceErrorFields {
  name: "SeedanceApiError";
  param?: string;
  type?: string;
  retryAfterMs?: number;
  rawBody?: string;
}
/** The task ended `failed`, `expired` or `cancelled`. */
export interface SeedanceTaskFailedError extends SeedanceErrorFields {
  name: "SeedanceTaskFailedError";
  taskId: string;
  task: Task;
  taskStatus: TaskStatus;
}
/** A request or the whole wait ran out of time; a task goes on on the server. */
export interface SeedanceTimeoutError extends SeedanceErrorFields {
  name: "SeedanceTimeoutError";
  elapsedMs: number;
  polls?: number;
}
/** A create may have made a task: never resend blindly, look with `findRecent(err)`. */
export interface SeedanceOutcomeUnknownError extends SeedanceErrorFields {
  name: "SeedanceOutcomeUnknownError";
  model?: string;
  sentAt?: number;
  idempotencyKey?: string;
}
/** No answer arrived (connection, CORS, DNS). */
export interface SeedanceNetworkError extends SeedanceErrorFields {
  name: "SeedanceNetworkError";
}
/** The server has no such route (the reseller may lack list and delete). */
export interface SeedanceUnsupportedError extends SeedanceErrorFields {
  name: "SeedanceUnsupportedError";
}
/** Only a queued task can be cancelled; a running one is finished and billed. */
export interface SeedanceNotCancellableError extends SeedanceErrorFields {
  name: "SeedanceNotCancellableError";
  taskId: string;
  taskStatus: TaskStatus;
}
/** The caller's `AbortSignal` fired. A created task goes on on the server. */
export interface AbortError extends Error {
  name: "AbortError";
  taskId?: string;
}
/** Every error this package rejects with. */
export type SeedanceError =
  | SeedanceValidationError
  | SeedanceApiError
  | SeedanceTaskFailedError
  | SeedanceTimeoutError
  | SeedanceOutcomeUnknownError
  | SeedanceNetworkError
  | SeedanceUnsupportedError
  | SeedanceNotCancellableError
  | AbortError;

// ---- Many tasks: batches and films ----

/** A create request with an optional name for its result (the name is never sent). */
export type BatchRequest = CreateTaskRequest & { name?: string };

/** One shot of a film: it continues from the previous shot's last frame unless `cut`. */
export interface Shot {
  prompt?: string;
  /** Whole seconds, 4..=15. */
  duration: number;
  /** A fresh shot (text-to-video or its own `image`); the first shot always is. */
  cut?: boolean;
  /** The first frame of a fresh shot: an https://, data: or asset:// URL. */
  image?: string;
}

/** A film plan: shared settings and the shots. Unknown fields are errors. */
export interface FilmPlan {
  model: Model;
  resolution: Resolution;
  ratio: Ratio;
  generate_audio: boolean;
  seed?: number;
  watermark?: boolean;
  shots: Shot[];
}

export type JobState =
  | "pending"
  | "creating"
  | "unknown"
  | "running"
  | "succeeded"
  | "downloaded"
  | "failed"
  | "blocked";

/** The journal of a run: keep what `onJournal` gives you and pass it back as `journal`. */
export interface Journal {
  version: number;
  kind: "batch" | "film" | string;
  jobs: Array<{
    key: string;
    state: JobState;
    task_id?: string;
    status?: TaskStatus;
    tokens?: number;
    error?: { code: string; message: string };
    [field: string]: unknown;
  }>;
  [field: string]: unknown;
}

/** One step of a run, for progress views. */
export interface JobProgress {
  /** `delayed`: a create waits (a 429's `Retry-After`, or a backoff); `waiting`: nothing is due. */
  kind: "creating" | "created" | "delayed" | "status" | "downloaded" | "problem" | "waiting" | "stopped";
  /** The job's index and key (`jobs[3]`, a batch name, `shots[2]`). */
  job?: number;
  key?: string;
  taskId?: string;
  status?: TaskStatus;
  message?: string;
  waitMs?: number;
  counts?: { total: number; done: number; running: number; failed: number };
}

/** A job's video, handed over once when downloaded (a signed URL allows ~100 downloads). */
export interface JobResultFile {
  key: string;
  task: Task;
  video: Uint8Array;
  lastFrame: Uint8Array | null;
}

export interface JobOptions extends CallOptions {
  /** Tasks of this run between create and a final status, queued included (default 3). */
  concurrency?: number;
  /** Creates per minute (default 180). */
  rate?: number;
  /** Refuse to start when spent + the worst case of the rest passes this. */
  maxTokens?: number;
  /** Poll each task this often instead of a schedule fitted to it. */
  pollIntervalMs?: number;
  onProgress?: (progress: JobProgress) => void;
  /**
   * After every change: keep it (awaited when it returns a Promise). An abort waits for a
   * save under way, so the journal you keep never says a job is being created when nothing
   * was sent.
   */
  onJournal?: (journal: Journal) => void | Promise<void>;
  /** Each video once, when downloaded (awaited); without it videos come in the results. */
  onResult?: (result: JobResultFile) => void | Promise<void>;
  /** The journal of an earlier run: resume it; no job whose task exists is created again. */
  journal?: Journal;
  /** Create failed jobs again although unchanged. */
  retryFailed?: boolean;
  /** Create again jobs whose create's outcome stayed unknown (may pay twice). */
  recreateUnknown?: boolean;
  /**
   * On abort, also DELETE the tasks still queued (free; running ones finish and bill).
   * An abort while a create is on its way waits for its answer, so that task is in the
   * journal (and deleted here if queued); no create is sent after the abort.
   */
  cancelQueued?: boolean;
}

export interface JobResult {
  key: string;
  name?: string;
  state: JobState;
  taskId: string | null;
  task: Task | null;
  error?: { code: string; message: string };
  /** Present when no `onResult` took it. */
  video?: Uint8Array;
  lastFrame?: Uint8Array | null;
}

/** One result per job, plus the run's exit code (0 all kept, 1 some failed, 3 unknown). */
export type RunResults = JobResult[] & { exitCode: 0 | 1 | 3; stopped?: string };

// ---- The API ----

/** A Seedance client. Every method returns a Promise and takes an `AbortSignal`. */
export class SeedanceClient {
  constructor(options?: ClientOptions);
  /** Validate, then create a task. **Spends money.** Never resent on its own. */
  createTask(request: CreateTaskRequest, options?: CreateOptions): Promise<CreatedTask>;
  getTask(id: string, options?: CallOptions): Promise<Task>;
  /** Newest first. Rejects with `SeedanceUnsupportedError` where the server has no list. */
  listTasks(query?: ListQuery, options?: CallOptions): Promise<TaskList>;
  /** Cancel a queued task, or delete a finished task's record. */
  deleteTask(id: string, options?: CallOptions): Promise<void>;
  /** Poll until the task ends; resolves on `succeeded`, rejects otherwise. */
  waitForTask(id: string, options?: WaitOptions): Promise<Task>;
  /** Create and wait. **Spends money.** */
  generate(request: CreateTaskRequest, options?: GenerateOptions): Promise<Task>;
  /** Download a signed result URL with a plain GET (no key, no cookies). */
  fetchBytes(url: string, options?: CallOptions): Promise<Uint8Array>;
  /**
   * Run many requests within the account's limits, with a journal. **Spends money.**
   * Resolves to one result per job; a failed job never rejects it. In browsers the first
   * `batch()` or `film()` loads the job engine (the package's `full/` build) once.
   */
  batch(requests: BatchRequest[], options?: JobOptions): Promise<RunResults>;
  /**
   * Run a film: shots chained by their last frame. **Spends money.** Resolves to one result
   * per shot, in order; join their videos with `concatMp4` from `seedance/mp4`.
   */
  film(plan: FilmPlan, options?: JobOptions): Promise<RunResults>;
  /** Recent tasks, newest first: to find the task of a `SeedanceOutcomeUnknownError`. */
  findRecent(filter?: RecentFilter, options?: CallOptions): Promise<Task[]>;
  /** Release the client's memory now rather than at garbage collection. */
  free(): void;
}

/** Check a request against every documented rule (no network). */
export function validateRequest(request: CreateTaskRequest, limits?: Partial<Limits>): Validation;
/** Estimate tokens (a range for `duration: -1`) and, with prices, money. */
export function estimateCost(request: CreateTaskRequest, prices?: PriceTable): Estimate;
/** Encode bytes as a `data:` URL; the MIME type is sniffed from the bytes unless given. */
export function toDataUrl(input: Uint8Array | ArrayBuffer | Blob, mime?: string): Promise<string>;
/** A text-to-video request. */
export function textToVideo(model: Model, prompt: string): CreateTaskRequest;
/** A first-frame request. */
export function firstFrame(model: Model, image: string, prompt?: string): CreateTaskRequest;
/** A first + last frame request. */
export function firstLastFrame(
  model: Model,
  first: string,
  last: string,
  prompt?: string,
): CreateTaskRequest;
/** A multi-modal reference request. */
export function reference(
  model: Model,
  prompt: string,
  media: { images?: string[]; videos?: string[]; audios?: string[] },
): CreateTaskRequest;
