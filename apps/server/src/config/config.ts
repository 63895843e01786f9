import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();

/** A setting holding JSON: unset stays undefined; anything unparsable or off-schema is reported with `message`. */
function jsonSetting<T extends z.ZodType>(schema: T, message: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx): z.output<T> | undefined => {
      if (!v) return undefined;
      try {
        const parsed = schema.safeParse(JSON.parse(v));
        if (parsed.success) return parsed.data;
      } catch {
        // not JSON: reported below
      }
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    });
}

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern, "g");
    return true;
  } catch {
    return false;
  }
}

/** A switch: `on`/`off`, or `true`/`false` as the table of defaults shows it. */
const onOff = z.enum(["on", "off", "true", "false"]).transform((v) => v === "on" || v === "true");

/** One entry per setting: the env name, its schema with default, and a one-line doc (README table). */
export const CONFIG_FIELDS = {
  AEGIS_HOST: {
    schema: z.string().min(1).default("127.0.0.1"),
    doc: "Interface the API, WebSocket and load balancer bind to.",
  },
  AEGIS_PORT: { schema: port.default(8001), doc: "Port of the API and WebSocket (`/ws`)." },
  AEGIS_DATA_DIR: {
    schema: z.string().min(1).default("./.aegis"),
    doc: "Data directory: embedded database, generated API key, service logs.",
  },
  DATABASE_URL: {
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional(),
    doc: "PostgreSQL URL. Unset: embedded PGlite inside the data dir.",
  },
  AEGIS_API_KEY: {
    schema: z.string().min(16, "must be at least 16 characters").optional(),
    doc: "Admin API key. Unset: generated on first start, stored in the data dir (mode 0600) and printed once.",
  },
  AEGIS_JWT_SECRET: {
    schema: z.string().min(32, "must be at least 32 characters").optional(),
    doc: "HS256 secret signing users' access tokens. Unset: generated on first start, stored in the data dir (mode 0600).",
  },
  AEGIS_EXECUTOR: {
    schema: z.enum(["local", "docker", "kubernetes"]).default("local"),
    doc: "Runtime the remediations act on (`local`: supervised child processes; `docker`: the Docker Engine API, nginx in front, ADR 0018; `kubernetes`: Deployments and StatefulSets through the Kubernetes API, ADR 0019).",
  },
  AEGIS_DOCKER_SOCKET: {
    schema: z.string().min(1).default("/var/run/docker.sock"),
    doc: "Unix socket of the Docker Engine API (`AEGIS_EXECUTOR=docker`).",
  },
  AEGIS_DOCKER_NETWORK: {
    schema: z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "must be a Docker network name")
      .default("aegis"),
    doc: "Bridge network the demo container and replicas join (created when missing).",
  },
  AEGIS_DOCKER_TARGETS: {
    schema: z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*(,[a-zA-Z0-9][a-zA-Z0-9_.-]*)*$/, "must be a comma list of container names")
      .optional(),
    doc: "Comma list of existing containers the Docker executor manages besides the demo app.",
  },
  AEGIS_NGINX_BIN: {
    schema: z.string().min(1).default("/usr/sbin/nginx"),
    doc: "nginx executable the Docker executor runs as its load balancer (config in the data dir).",
  },
  DEMO_APP_PORT: { schema: port.default(8000), doc: "Port of the supervised demo app `buggy-app-v2`." },
  AEGIS_LB_PORT: {
    schema: port.default(8080),
    doc: "Port of the built-in load balancer in front of the demo app and its replicas.",
  },
  AEGIS_DEMO_APP: {
    schema: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
    doc: "Supervise the demo app (`false` for an executor with no declared services).",
  },
  DEMO_MEMORY_THRESHOLD_MB: {
    schema: positiveInt.default(200),
    doc: "RSS above which the demo app's watchdog posts a Memory Leak webhook.",
  },
  LOG_TRUNCATE_CHARS: {
    schema: positiveInt.default(8000),
    doc: "Budget of log characters an analyst reads: the head, the tail and the salient lines in between (reasons, exit codes, warning events, errors), repeats collapsed.",
  },
  HEALTH_TIMEOUT_SECS: {
    schema: z.coerce.number().positive().default(5),
    doc: "Timeout of one health probe during verification.",
  },
  HEALTH_MAX_ATTEMPTS: {
    schema: positiveInt.default(5),
    doc: "Health probes (with backoff) before an incident is FAILED.",
  },
  METRICS_INTERVAL_SECS: {
    schema: z.coerce.number().positive().default(3),
    doc: "Interval of `metrics` and `container.list` frames.",
  },
  MAX_REPLICAS: { schema: positiveInt.default(5), doc: "Hard cap on replicas for SCALE_UP." },
  RESTART_BUDGET_PER_HOUR: {
    schema: positiveInt.default(3),
    doc: "Restarts of one target per hour before the council asks a human.",
  },
  MIN_CONFIDENCE: {
    schema: z.coerce.number().min(0).max(1).default(0.5),
    doc: "Confidence below which an action needs a human: the council's own reading of the evidence, which a model's number can lower but never raise.",
  },
  PROTECTED_TARGETS: {
    schema: z.string().optional(),
    doc: "Comma list of extra protected target patterns (`*` wildcard), added to the product itself and databases.",
  },
  AEGIS_APPROVAL_EXPIRY_SECS: {
    schema: z.coerce.number().positive().default(3600),
    doc: "An incident awaiting human approval that nobody approves or rejects within this time ends FAILED, with the reason on its timeline (checked by a sweep over the parked jobs, so it survives restarts).",
  },
  AEGIS_ESCALATION_SWEEP_SECS: {
    schema: z.coerce.number().positive().default(5),
    doc: "How often escalation looks for incidents to page and levels that are due (state in the database, so restarts and several servers continue it).",
  },
  AEGIS_PGLITE_MAINTENANCE_SECS: {
    schema: z.coerce.number().min(0).default(60),
    doc: "Embedded database only (PostgreSQL runs its own autovacuum): how often the server analyzes and vacuums the tables that changed past autovacuum's default thresholds, as autovacuum would at its default naptime (60 s); 0 turns it off.",
  },
  PIPELINE_CONCURRENCY: { schema: positiveInt.default(16), doc: "Incidents processed concurrently by this server." },
  AEGIS_INGEST_MAX_BACKLOG: {
    schema: positiveInt.default(50_000),
    doc: "Alerts held in memory between the webhook and the database (waiting for the journal, or journaled and not yet stored); past it /webhook answers 503 with Retry-After and accepts nothing until the loader catches up.",
  },
  AEGIS_WEBHOOK_FAST_PATH: {
    schema: onOff.default(true),
    doc: "Seed-000 /webhook hot path: a plainly valid, authenticated POST /webhook is answered by a plain node:http handler in front of Fastify (unless AEGIS_CORS_ORIGINS is set), a plainly valid body skips the general schema validator and a fresh incident's 200 body is prebuilt; anything in doubt takes the general path (same answer, same bytes, same audit entry and access-log row). off: every request takes the general path.",
  },
  PIPELINE_BATCH_SIZE: {
    schema: positiveInt.default(128),
    doc: "Queued incidents claimed at once and taken through analysis and council together, each stage committed for the batch in one transaction (an alert storm); 1 runs every incident alone.",
  },
  PIPELINE_STAGE_FOLD_MS: {
    schema: z.coerce.number().int().min(0).max(60_000).default(250),
    doc: "In a batch, a stage (analysis, council) that ends within this many ms is committed together with the stages before it (one transaction, one row update per incident); a slower one gets them committed while it runs. 0 commits every stage alone.",
  },
  AEGIS_LLM_CHAIN: {
    schema: z
      .string()
      .default("builtin")
      .transform((v) =>
        v
          .split(",")
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(
        z.array(z.enum(["openai", "anthropic", "builtin"], "each entry must be openai, anthropic or builtin")).min(1),
      ),
    doc: "Comma list of analysis providers tried in order (`openai`, `anthropic`, `builtin`); `builtin` always ends the chain.",
  },
  OPENAI_BASE_URL: {
    schema: z.url().default("https://api.openai.com/v1"),
    doc: "Base URL of the OpenAI-compatible Chat Completions API (OpenAI, Ollama, vLLM, LM Studio, OpenRouter…).",
  },
  OPENAI_API_KEY: {
    schema: z.string().optional(),
    doc: "API key of the `openai` provider (optional for local servers).",
  },
  AEGIS_LLM_MODEL: { schema: z.string().min(1).default("gpt-4o-mini"), doc: "Model of the `openai` provider." },
  AEGIS_LLM_JSON_MODE: {
    schema: z.enum(["json_schema", "json_object", "off"]).default("json_schema"),
    doc: "Structured output requested from the `openai` provider; a server that refuses it is retried once without.",
  },
  ANTHROPIC_API_KEY: { schema: z.string().optional(), doc: "API key of the `anthropic` provider." },
  ANTHROPIC_MODEL: {
    schema: z.string().min(1).default("claude-sonnet-4-5"),
    doc: "Model of the `anthropic` provider.",
  },
  ANTHROPIC_BASE_URL: {
    schema: z.url().default("https://api.anthropic.com"),
    doc: "Base URL of the Anthropic Messages API.",
  },
  AEGIS_LLM_TIMEOUT_SECS: {
    schema: z.coerce.number().positive().default(30),
    doc: "Time one provider gets for a whole analysis (tool rounds included) before the chain falls back to the next.",
  },
  AEGIS_LLM_MAX_TOOL_ROUNDS: {
    schema: z.coerce.number().int().min(0).max(10).default(4),
    doc: "Investigation tool rounds a model may use before it must answer.",
  },
  AEGIS_LLM_PRICES: {
    schema: jsonSetting(
      z.record(z.string(), z.tuple([z.number().min(0), z.number().min(0)])),
      'must be JSON like {"my-model":[0.5,1.5]} (USD per 1M prompt, completion tokens)',
    ),
    doc: 'Extra model prices as JSON `{"model":[prompt,completion]}` in USD per million tokens, over the built-in table.',
  },
  AEGIS_LLM_COUNCIL_REVIEW: {
    schema: z.enum(["advisory", "off"]).default("advisory"),
    doc: "With a model in the chain, SECURITY_OFFICER and AUDITOR each ask it for a review recorded on their vote (`advisory`: the hard policy still decides).",
  },
  AEGIS_ANALYZE_TIMEOUT_SECS: {
    schema: z.coerce.number().positive().default(30),
    doc: "Time budget of one `POST /api/v1/analyze`; past it the answer is a 504 with the partial results.",
  },
  AEGIS_ANALYSIS_CACHE_SECS: {
    schema: z.coerce.number().min(0).default(300),
    doc: "Window in which an identical signature (normalised alert and logs) reuses a model's analysis (`0`: off).",
  },
  AEGIS_REDACT_PATTERNS: {
    schema: jsonSetting(
      z.array(z.string()).refine((list) => list.every(isRegExp)),
      "must be a JSON array of regular expressions",
    ),
    doc: "Extra redaction patterns (JSON array of regular expressions) applied before anything is sent to a model.",
  },
  PROMETHEUS_URL: {
    schema: z.url().optional(),
    doc: "Prometheus base URL; set, models may call the `prometheus_query` tool.",
  },
  LOG_LEVEL: {
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    doc: "Structured log level (JSON lines on stdout).",
  },
  AEGIS_EMBEDDINGS_URL: {
    schema: z.url().optional(),
    doc: "OpenAI-compatible embeddings API (`…/v1`; `/embeddings` is appended). Set: runbook search fuses vectors with BM25.",
  },
  AEGIS_EMBEDDINGS_MODEL: {
    schema: z.string().min(1).default("text-embedding-3-small"),
    doc: "Embedding model name sent to the embeddings API.",
  },
  AEGIS_EMBEDDINGS_API_KEY: {
    schema: z.string().optional(),
    doc: "Bearer key of the embeddings API, if it needs one.",
  },
  AEGIS_EMBEDDINGS_MIN_SIMILARITY: {
    schema: z.coerce.number().min(0).max(1).default(0.5),
    doc: "Cosine similarity at which a vector hit counts as a good match (depends on the model).",
  },
  AEGIS_MONITOR_RATE_LIMITS: {
    schema: onOff.default(true),
    doc: "Seed 004 per-client rate limits on the monitor routes (`/feed/data` 60/min, reads 30/min, admin 10/min); `off` for load tests.",
  },
  AEGIS_MONITOR_PROACTIVE: {
    schema: onOff.default(true),
    doc: "A server predicted critical opens an incident in the remediation loop (a dry run when the runtime does not manage it).",
  },
  AEGIS_MONITOR_SNAPSHOT_SECS: {
    schema: z.coerce.number().positive().default(60),
    doc: "Wall-clock interval of the fleet-health snapshots kept for `/historical/environment`.",
  },
  AEGIS_MONITOR_SAMPLE_MINUTES: {
    schema: z.coerce.number().min(0).default(5),
    doc: "Data-time minutes between two stored metric samples of one server (the training history; `0`: every record).",
  },
  AEGIS_MONITOR_RESTORE_SAMPLES: {
    schema: z.coerce.number().int().min(0).default(200_000),
    doc: "Newest stored metric samples replayed into the predictive monitor at start, before the server listens, rebuilding each server's rolling window, forecasters and risk (~13,000 a second on PGlite; `0`: start empty).",
  },
  AEGIS_V8_HEAP_GROWING_PERCENT: {
    schema: z.coerce.number().int().min(0).max(400).default(30),
    doc: "How far (percent) `aegis start` lets the V8 heap grow past its live size before the next full collection (V8's `--heap-growing-percent`, set at start). `0`: V8's own factor, which lets a busy heap reach several times its live size (a 10,000-server monitor: RSS ~1.7 GB instead of < 1 GB, ADR 0023). A larger factor trades memory for fewer full collections, not shorter ones: a 10,000-server monitor at `200` paused less while ingesting but up to 170–186 ms (against 120) when a read-heavy phase did collect, at 716–780 MB RSS against 560, and a storm's backlog grew to 362 MB against 282 (single runs, ADR 0023).",
  },
  AEGIS_V8_WASM_TIER_UP: {
    schema: onOff.default(false),
    doc: "Let V8 re-compile the embedded database's hot WebAssembly with its optimizing compiler (set by `aegis start`, process-wide). off: baseline code only, ~45 MB less resident memory at the same CPU per statement (measured, ADR 0025).",
  },
  AEGIS_MALLOC_MMAP_THRESHOLD: {
    schema: z.coerce.number().int().min(0).max(33_554_432).default(131_072),
    doc: "Bytes from which glibc's malloc maps a block on its own and unmaps it when freed (`mallopt(M_MMAP_THRESHOLD)`, set by `aegis start` through koffi's FFI; the image's `MALLOC_MMAP_THRESHOLD_` does the same from the first allocation). `0`: glibc's own threshold, which it raises to the largest block freed so far, so that later blocks up to that size stay in its arenas. No effect without glibc (ADR 0025).",
  },
  AEGIS_MALLOC_TRIM_SECONDS: {
    schema: z.coerce.number().int().min(0).max(86_400).default(60),
    doc: "Every this many seconds, and once start-up's garbage is collected, `aegis start` gives glibc's free malloc pages back to the system (`malloc_trim(0)`: what freed memory its arenas keep after a storm or start-up, ~1 ms a call). `0`: never. No effect without glibc (ADR 0025).",
  },
  AEGIS_MONITOR_RETENTION_DAYS: {
    schema: z.coerce.number().positive().default(30),
    doc: "Days (data time) of metric samples, alert events and fleet snapshots kept; older ones are pruned hourly.",
  },
  AEGIS_PUBLIC_URL: {
    schema: z.url().optional(),
    doc: "Base URL clients reach this server at, used in links it hands out (a stored ticket's `ticket_url`). Unset: `http://AEGIS_HOST:AEGIS_PORT`.",
  },
  JIRA_BASE_URL: {
    schema: z.url().optional(),
    doc: "Jira Cloud site (`https://your-site.atlassian.net`). Set with `JIRA_EMAIL`, `JIRA_API_TOKEN` and `JIRA_PROJECT_KEY`: `POST /api/v1/tickets` also opens a Jira issue.",
  },
  JIRA_EMAIL: { schema: z.string().optional(), doc: "Atlassian account email for Jira basic auth." },
  JIRA_API_TOKEN: { schema: z.string().optional(), doc: "Atlassian API token for Jira basic auth." },
  JIRA_PROJECT_KEY: { schema: z.string().optional(), doc: "Jira project key new issues are created in (e.g. `OPS`)." },
  JIRA_ISSUE_TYPE: { schema: z.string().min(1).default("Task"), doc: "Jira issue type of created tickets." },
  AEGIS_COPILOT_ANALYZE_PER_HOUR: {
    schema: z.coerce.number().int().min(0).default(100),
    doc: "Seed 001 rate limit of `POST /api/v1/analyze` per principal per hour (`0`: off).",
  },
  AEGIS_COPILOT_PER_HOUR: {
    schema: z.coerce.number().int().min(0).default(500),
    doc: "Seed 001 rate limit of its other routes (tickets, webhooks, health) per principal per hour (`0`: off).",
  },
  AEGIS_SRE_PER_MINUTE: {
    schema: z.coerce.number().int().min(0).default(300),
    doc: "Seed 002's budget: requests per minute per signed-in user across its routes (auth, projects, its incident and analytics reads, monitoring integrations), with `X-RateLimit-*` headers (the cockpit's incident page, refreshing while an incident streams, stays well under 300); API keys are not counted; `0` switches it off.",
  },
  AEGIS_ONCALL_PER_HOUR: {
    schema: z.coerce.number().int().min(0).default(1000),
    doc: "Seed 003's budget: requests per hour per principal across all its routes (dashboard, analytics, agent, security, monitoring, integrations, settings, on-call); `0` switches it off.",
  },
  AEGIS_ONCALL_WEBHOOKS_PER_HOUR: {
    schema: z.coerce.number().int().min(0).default(10000),
    doc: "Seed 003's webhook budget: requests per hour per source (each alert-source intake token; each key posting to `POST /webhook/pagerduty` and its siblings); `0` switches it off.",
  },
  AEGIS_WEBHOOK_MAX_ATTEMPTS: {
    schema: z.coerce.number().int().min(1).max(20).default(6),
    doc: "Attempts of one outbound webhook delivery before it is logged as failed.",
  },
  AEGIS_WEBHOOK_BACKOFF_MS: {
    schema: z.coerce.number().int().min(0).default(1000),
    doc: "First retry delay of a webhook delivery; it doubles after every failed attempt.",
  },
  AEGIS_WEBHOOK_TIMEOUT_MS: {
    schema: z.coerce.number().int().positive().default(10_000),
    doc: "Time a webhook receiver gets to answer one delivery attempt.",
  },
  AEGIS_HEALTH_PROBE_TIMEOUT_MS: {
    schema: z.coerce.number().int().positive().default(2000),
    doc: "Time each dependency probe of `GET /api/v1/health` gets (LLM providers, embeddings).",
  },
  AEGIS_KUBECONFIG: {
    schema: z.string().optional(),
    doc: "Kubeconfig file of the `kubernetes` executor. Unset: `KUBECONFIG`, then `~/.kube/config`, then the pod's service account (in-cluster).",
  },
  AEGIS_KUBE_NAMESPACES: {
    schema: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(,[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "must be a comma list of namespaces")
      .default("default"),
    doc: "Comma list of the only namespaces the `kubernetes` executor reads and acts in.",
  },
  AEGIS_KUBE_LABEL_SELECTOR: {
    schema: z.string().optional(),
    doc: "Label selector (`app.kubernetes.io/managed-by=aegis,tier!=db`) a Deployment or StatefulSet must match to be acted on. Unset: every one in the namespaces.",
  },
  AEGIS_KUBE_ROLLOUT_TIMEOUT_SECS: {
    schema: positiveInt.default(120),
    doc: "How long a Kubernetes scale waits for its rollout before reporting the replicas it has.",
  },
  AEGIS_CLUSTER_EVENTS: {
    schema: z.enum(["auto", "off"]).default("auto"),
    doc: "`auto`: with a PostgreSQL `DATABASE_URL`, frames reach WebSocket clients of every process (LISTEN/NOTIFY) and one leader (advisory lock) collects metrics and starts new incidents' escalations; `off`: frames stay in their process, and every process starts escalations.",
  },
  AEGIS_ACCESS_LOG_RETENTION_DAYS: {
    schema: z.coerce.number().int().min(1).max(3650).default(30),
    doc: "Days the access log (`GET /api/v1/security/access-logs`, every API request) is kept.",
  },
  AEGIS_SECURITY_EVENT_RETENTION_DAYS: {
    schema: z.coerce.number().int().min(1).max(3650).default(365),
    doc: "Days security events (failed sign-ins, token reuse, injections, refusals) are kept. The audit log is never pruned.",
  },
  AEGIS_LOG_BUFFER_LINES: {
    schema: z.coerce.number().int().min(100).max(1_000_000).default(5000),
    doc: "The product's own log lines kept in memory for `GET /api/v1/monitoring/logs` and its SSE stream (resume window).",
  },
  AEGIS_SSE_HEARTBEAT_SECS: {
    schema: z.coerce.number().positive().max(300).default(15),
    doc: "Interval of the heartbeat comment on Server-Sent Event streams (keeps proxies from closing them).",
  },
  AEGIS_CORS_ORIGINS: {
    schema: z
      .string()
      .default("")
      .transform((v) =>
        v
          .split(",")
          .map((s) => s.trim().replace(/\/+$/, ""))
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .string()
            .regex(/^https?:\/\/[^/?#\s]+$/, "each entry must be an origin: scheme://host[:port], no path")
            .transform((o) => o.toLowerCase()),
        ),
      ),
    doc: "Comma list of browser origins (`https://ops.example.com`) allowed to call the API cross-origin, with credentials. Unset: none (the cockpit is served from the API's own origin and needs no CORS).",
  },
  AEGIS_DOWNLOAD_LINK_SECS: {
    schema: z.coerce.number().int().min(1).max(604_800).default(86_400),
    doc: "Seconds a signed download link (audit-log export, generated report) works without other credentials; seed 003: 24 hours.",
  },
  AEGIS_STREAMS_PER_KEY: {
    schema: z.coerce.number().int().min(1).max(10_000).default(10),
    doc: "Concurrent WebSocket and Server-Sent Event connections per API key or user (seed 003: 10); the next is refused (WebSocket close 1008, SSE 429).",
  },
  AEGIS_TRACES_URL: {
    schema: z.url().optional(),
    doc: "Base URL of a Jaeger query API (`http://jaeger:16686`) for `GET /api/v1/monitoring/traces`; unset, the endpoint says no trace source is configured.",
  },
  AEGIS_SECRETS_KEY: {
    schema: z.string().min(32, "must be 32 bytes, base64 or hex encoded").optional(),
    doc: "AES-256-GCM key (base64 or hex, 32 bytes) sealing integration secrets at rest. Unset: generated on first start, stored in the data dir (mode 0600).",
  },
  AEGIS_SECRETS_PREVIOUS_KEYS: {
    schema: z.string().optional(),
    doc: "Comma-separated former `AEGIS_SECRETS_KEY`s: still open what they sealed; `POST /api/v1/security/rotate-api-key` re-seals with the current key.",
  },
  AEGIS_NOTIFY_MAX_ATTEMPTS: {
    schema: z.coerce.number().int().min(1).max(10).default(4),
    doc: "Attempts of one page to one channel (Slack, Teams, email, PagerDuty, webhook) before it is logged as failed.",
  },
  AEGIS_NOTIFY_BACKOFF_MS: {
    schema: z.coerce.number().int().min(0).default(1000),
    doc: "First retry delay of a page; it doubles after every failed attempt (a 429's `Retry-After` wins when longer).",
  },
  AEGIS_NOTIFY_TIMEOUT_MS: {
    schema: z.coerce.number().int().positive().default(10_000),
    doc: "Time a channel (or an integration test) gets to answer one request.",
  },
  AEGIS_CHROMIUM_PATH: {
    schema: z.string().min(1).default("/usr/bin/chromium"),
    doc: "Chromium executable that renders seed 003 reports to PDF (headless, through playwright-core); absent, reports are HTML only.",
  },
  AEGIS_ALERT_GROUP_WINDOW_SECS: {
    schema: z.coerce.number().min(0).default(300),
    doc: "An alert joins the open incident with its fingerprint while that incident's automation is at work; once the automation gave up (FAILED), the incident still takes the same alerts while they keep arriving less than this apart (`0`: never). A RESOLVED incident takes none: the alert again is a recurrence.",
  },
} as const;

type Fields = typeof CONFIG_FIELDS;
export type Config = { [K in keyof Fields]: z.output<Fields[K]["schema"]> };

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join("; ")}`);
    this.name = "ConfigError";
  }
}

/** Parse the environment once, at start-up. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): Config {
  const out: Record<string, unknown> = {};
  const problems: { variable: string; message: string }[] = [];
  for (const [name, field] of Object.entries(CONFIG_FIELDS)) {
    const raw = env[name];
    const parsed = (field.schema as z.ZodType).safeParse(raw === "" ? undefined : raw);
    if (parsed.success) out[name] = parsed.data;
    else problems.push({ variable: name, message: parsed.error.issues.map((i) => i.message).join(", ") });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as Config;
}

/** Markdown table of every setting, for the README (checked by a test). */
export function configTableMarkdown(): string {
  const rows = Object.entries(CONFIG_FIELDS).map(([name, f]) => {
    const def = (f.schema as z.ZodType).safeParse(undefined);
    const shown = def.success && def.data !== undefined ? `\`${String(def.data)}\`` : "unset";
    return `| \`${name}\` | ${shown} | ${f.doc} |`;
  });
  return ["| Variable | Default | Meaning |", "|---|---|---|", ...rows].join("\n");
}
