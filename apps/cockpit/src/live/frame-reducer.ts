import type {
  ActionType,
  AIAnalysis,
  AlertEvent,
  ContainerInfo,
  ContainerMetrics,
  CouncilDecision,
  CouncilVote,
  IncidentResult,
  IncidentStatus,
  TimelineStatus,
  WsFrame,
} from "@aegis/contracts";

/** One pipeline step as the live view shows it; it lasts until the next step starts. */
export interface LiveStep {
  status: TimelineStatus;
  message: string;
  agent: string | null;
  at: string;
}

/** Everything the live view knows about one incident, built from frames (and refetched on reconnect). */
export interface LiveIncident {
  id: string;
  alertType: string;
  logs: string;
  status: IncidentStatus;
  /**
   * A person must approve or reject (seed 000's wire keeps `COUNCIL_REVIEW` and says so with the
   * decision's `awaiting_human` and the incident's `approval`).
   */
  awaitingApproval: boolean;
  steps: LiveStep[];
  thinking: string | null;
  analysisText: string;
  analysis: AIAnalysis | null;
  votes: CouncilVote[];
  decision: CouncilDecision | null;
  actions: { action: ActionType; container: string; at: string }[];
  healthChecks: { attempt: number; healthy: boolean; at: string }[];
  resolvedAt: string | null;
  error: string | null;
  firstSeen: string;
  lastUpdate: string;
}

/** One sample of a container's metrics, as charts plot them (time in seconds). */
export interface MetricSample {
  t: number;
  cpu: number;
  memoryMb: number;
  rxBytes: number;
  txBytes: number;
}

export interface LiveState {
  incidents: Readonly<Record<string, LiveIncident>>;
  /** Incident ids, newest first, at most `MAX_INCIDENTS`. */
  order: readonly string[];
  containers: readonly ContainerInfo[];
  latestMetrics: readonly ContainerMetrics[];
  /** Per container, the last `MAX_SAMPLES` samples, oldest first. */
  samples: Readonly<Record<string, readonly MetricSample[]>>;
  /** Bumped by every frame that changes the fleet's shape (scale events, container lists): topology refetches. */
  fleetVersion: number;
  lastScale: { at: string; summary: string } | null;
  /** Latest predictive-monitor level changes (newest first, at most MAX_MONITOR_ALERTS). */
  monitorAlerts: readonly AlertEvent[];
  lastFrameAt: string | null;
}

export const MAX_INCIDENTS = 200;
export const MAX_SAMPLES = 120;
export const MAX_MONITOR_ALERTS = 50;

const STATUSES: ReadonlySet<string> = new Set<IncidentStatus>([
  "RECEIVED",
  "ANALYSING",
  "COUNCIL_REVIEW",
  "AWAITING_APPROVAL",
  "APPROVED",
  "REJECTED",
  "EXECUTING",
  "SCALING",
  "VERIFYING",
  "RESOLVED",
  "FAILED",
]);

export const emptyLiveState: LiveState = {
  incidents: {},
  order: [],
  containers: [],
  latestMetrics: [],
  samples: {},
  fleetVersion: 0,
  lastScale: null,
  monitorAlerts: [],
  lastFrameAt: null,
};

export type LiveAction =
  | { kind: "frame"; frame: WsFrame }
  /** Incidents as the REST API has them (the catch-up after a reconnect): they replace what frames built. */
  | { kind: "snapshot"; incidents: readonly IncidentResult[]; containers?: readonly ContainerInfo[] };

function blank(id: string, at: string): LiveIncident {
  return {
    id,
    alertType: "",
    logs: "",
    status: "RECEIVED",
    awaitingApproval: false,
    steps: [],
    thinking: null,
    analysisText: "",
    analysis: null,
    votes: [],
    decision: null,
    actions: [],
    healthChecks: [],
    resolvedAt: null,
    error: null,
    firstSeen: at,
    lastUpdate: at,
  };
}

function withIncident(state: LiveState, id: string, at: string, change: (i: LiveIncident) => LiveIncident): LiveState {
  const known = state.incidents[id];
  const next = { ...change(known ?? blank(id, at)), lastUpdate: at };
  const order = known ? state.order : [id, ...state.order];
  const incidents: Record<string, LiveIncident> = { ...state.incidents, [id]: next };
  // Forget the oldest beyond the cap, so a long-open cockpit does not grow without bound.
  for (const gone of order.slice(MAX_INCIDENTS)) delete incidents[gone];
  return { ...state, incidents, order: order.slice(0, MAX_INCIDENTS) };
}

function fromResult(r: IncidentResult, known: LiveIncident | undefined): LiveIncident {
  const at = r.created_at ?? r.timeline[0]?.ts ?? new Date(0).toISOString();
  const base = known ?? blank(r.incident_id, at);
  return {
    ...base,
    alertType: r.alert_type,
    status: r.status,
    awaitingApproval: r.approval?.state === "pending" || r.status === "AWAITING_APPROVAL",
    steps: r.timeline.map((t) => ({ status: t.status, message: t.message, agent: t.agent, at: t.ts })),
    analysis: r.analysis,
    // The stream's text is kept when it is longer: the record has only the final justification.
    analysisText:
      base.analysisText.length >= (r.analysis?.justification.length ?? 0)
        ? base.analysisText
        : (r.analysis?.justification ?? ""),
    decision: r.council_decision,
    votes: r.council_decision?.votes ?? base.votes,
    resolvedAt: r.resolved_at,
    error: r.error,
    lastUpdate: r.timeline.at(-1)?.ts ?? base.lastUpdate,
  };
}

/** Statuses after which nobody is asked any more: a person decided, or the pipeline moved on or ended. */
const DECIDED: ReadonlySet<string> = new Set([
  "HUMAN_DECISION",
  "APPROVED",
  "EXECUTING",
  "SCALING",
  "VERIFYING",
  "RESOLVED",
  "FAILED",
  "REJECTED",
]);

/** Whether a person is asked after a `status.update`: a review back in COUNCIL_REVIEW after its decision waits for one. */
function awaitingAfter(i: LiveIncident, status: string): boolean {
  if (status === "AWAITING_APPROVAL" || (status === "COUNCIL_REVIEW" && i.decision !== null)) return true;
  return DECIDED.has(status) ? false : i.awaitingApproval;
}

function sample(m: ContainerMetrics, t: number): MetricSample {
  return { t, cpu: m.cpu_percent, memoryMb: m.memory_mb, rxBytes: m.net_rx_bytes, txBytes: m.net_tx_bytes };
}

/** The live state after one frame or snapshot; unchanged parts keep their identity (selectors rely on it). */
export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  if (action.kind === "snapshot") return applySnapshot(state, action.incidents, action.containers);
  const f = action.frame;
  const at = f.timestamp;
  const s = { ...state, lastFrameAt: at };
  switch (f.type) {
    case "heartbeat":
      return s;
    case "incident.new":
      return withIncident(s, f.data.incident_id, at, (i) => ({
        ...i,
        alertType: f.data.alert_type,
        logs: f.data.logs,
      }));
    case "status.update":
      return withIncident(s, f.data.incident_id, at, (i) => ({
        ...i,
        status: STATUSES.has(f.data.status) ? (f.data.status as IncidentStatus) : i.status,
        awaitingApproval: awaitingAfter(i, f.data.status),
        steps: [...i.steps, { status: f.data.status, message: f.data.message, agent: f.data.agent, at }],
      }));
    case "ai.thinking":
      return withIncident(s, f.data.incident_id, at, (i) => ({ ...i, thinking: f.data.message }));
    case "ai.stream":
      return withIncident(s, f.data.incident_id, at, (i) => ({ ...i, analysisText: f.data.full_text }));
    case "ai.complete":
      return withIncident(s, f.data.incident_id, at, (i) => ({ ...i, analysis: f.data.analysis, thinking: null }));
    case "council.vote":
      return withIncident(s, f.data.incident_id, at, (i) => ({
        ...i,
        votes: [...i.votes.filter((v) => v.role !== f.data.vote.role), f.data.vote],
      }));
    case "council.decision":
      return withIncident(s, f.data.incident_id, at, (i) => ({
        ...i,
        decision: f.data.decision,
        votes: f.data.decision.votes,
        awaitingApproval:
          i.awaitingApproval ||
          (f.data.decision as { awaiting_human?: boolean }).awaiting_human === true ||
          f.data.decision.final_verdict === "NEEDS_REVIEW",
      }));
    case "docker.action":
      return withIncident(s, f.data.incident_id, at, (i) => ({
        ...i,
        actions: [...i.actions, { action: f.data.action, container: f.data.container, at }],
      }));
    case "health.check":
      return withIncident(s, f.data.incident_id, at, (i) => ({
        ...i,
        healthChecks: [...i.healthChecks, { attempt: f.data.attempt, healthy: f.data.healthy, at }],
      }));
    case "resolved":
      return withIncident(s, f.data.incident_id, at, (i) => ({
        ...i,
        status: "RESOLVED",
        awaitingApproval: false,
        resolvedAt: f.data.resolved_at,
      }));
    case "failed":
      return withIncident(s, f.data.incident_id, at, (i) => ({
        ...i,
        status: "FAILED",
        awaitingApproval: false,
        error: f.data.error,
      }));
    case "scale.event": {
      const e = f.data.event;
      const summary = e.removed
        ? `${e.container_base}: removed ${e.removed.length} replica(s)`
        : `${e.container_base}: ${e.replica_count} replica(s)`;
      return { ...s, fleetVersion: s.fleetVersion + 1, lastScale: { at, summary } };
    }
    case "container.list":
      return { ...s, containers: f.data, fleetVersion: s.fleetVersion + 1 };
    case "metrics": {
      const t = Date.parse(at) / 1000;
      const samples: Record<string, readonly MetricSample[]> = { ...s.samples };
      for (const m of f.data) {
        const prev = samples[m.name] ?? [];
        const next = prev.length >= MAX_SAMPLES ? prev.slice(prev.length - MAX_SAMPLES + 1) : prev.slice();
        next.push(sample(m, t));
        samples[m.name] = next;
      }
      // Containers gone from the fleet stop being charted.
      const present = new Set(f.data.map((m) => m.name));
      for (const name of Object.keys(samples)) if (!present.has(name)) delete samples[name];
      return { ...s, latestMetrics: f.data, samples };
    }
    case "monitor.alert":
      return { ...s, monitorAlerts: [f.data, ...s.monitorAlerts].slice(0, MAX_MONITOR_ALERTS) };
    case "analysis.hypotheses":
      // The incident page reads stored hypotheses over HTTP; the live view has nothing to change.
      return s;
    default:
      return assertNever(f);
  }
}

function applySnapshot(
  state: LiveState,
  results: readonly IncidentResult[],
  containers: readonly ContainerInfo[] | undefined,
): LiveState {
  const incidents: Record<string, LiveIncident> = { ...state.incidents };
  const fresh: string[] = [];
  for (const r of results) {
    if (!incidents[r.incident_id]) fresh.push(r.incident_id);
    incidents[r.incident_id] = fromResult(r, incidents[r.incident_id]);
  }
  const order = [...fresh, ...state.order].sort((a, b) =>
    (incidents[b]?.firstSeen ?? "").localeCompare(incidents[a]?.firstSeen ?? ""),
  );
  for (const gone of order.slice(MAX_INCIDENTS)) delete incidents[gone];
  return {
    ...state,
    incidents,
    order: order.slice(0, MAX_INCIDENTS),
    ...(containers ? { containers, fleetVersion: state.fleetVersion + 1 } : {}),
  };
}

function assertNever(x: never): never {
  throw new Error(`unexpected frame: ${JSON.stringify(x)}`);
}
