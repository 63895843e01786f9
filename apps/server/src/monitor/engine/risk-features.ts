import { type MetricRecord, ServerStatus } from "@aegis/contracts";

/**
 * The risk function's input feature groups. Shapley values are exact over these 10 groups
 * (2^10 coalitions), so every group is one thing an operator can act on. The first six are
 * forecast (level, trend, daily season, residual spread); network and close_wait are judged on
 * their current value only; anomaly and status are scalars.
 */
export const FORECAST_GROUPS = ["cpu", "memory", "swap", "disk", "iowait", "load"] as const;
export const NUMERIC_GROUPS = [...FORECAST_GROUPS, "network", "close_wait"] as const;
export const RISK_GROUPS = [...NUMERIC_GROUPS, "anomaly", "status"] as const;

export type ForecastGroup = (typeof FORECAST_GROUPS)[number];
export type NumericGroup = (typeof NUMERIC_GROUPS)[number];
export type RiskGroup = (typeof RISK_GROUPS)[number];

export const N_FORECAST = FORECAST_GROUPS.length;
export const N_NUMERIC = NUMERIC_GROUPS.length;
export const N_GROUPS = RISK_GROUPS.length;
export const G_CPU = 0;
export const G_MEMORY = 1;
export const G_IOWAIT = 4;
export const G_ANOMALY = N_NUMERIC;
export const G_STATUS = N_NUMERIC + 1;

/** Feature names as the explanation reports them (the seed uses "mem_pct", "cpu_pct"). */
export const FEATURE_NAMES: Readonly<Record<RiskGroup, string>> = {
  cpu: "cpu_pct",
  memory: "mem_pct",
  swap: "swap_pct",
  disk: "disk_pct",
  iowait: "iowait_pct",
  load: "load_avg",
  network: "network_mb_s",
  close_wait: "close_wait",
  anomaly: "anomaly_score",
  status: "status",
};

/** Words for sentences ("Reduce memory by 15%"). */
export const GROUP_LABELS: Readonly<Record<RiskGroup, string>> = {
  cpu: "CPU",
  memory: "memory",
  swap: "swap",
  disk: "disk usage",
  iowait: "I/O wait",
  load: "load average",
  network: "network traffic",
  close_wait: "CLOSE_WAIT connections",
  anomaly: "anomaly score",
  status: "status",
};

/** Groups measured in percent (formatting, clamping of forecasts to 0..100). */
export const PERCENT_GROUPS: ReadonlySet<NumericGroup> = new Set(["cpu", "memory", "swap", "disk", "iowait"]);

export const STATUSES: readonly ServerStatus[] = ServerStatus.options;
const STATUS_CODES = new Map(STATUSES.map((s, i) => [s, i]));

export function statusCode(status: ServerStatus): number {
  return STATUS_CODES.get(status) ?? 0;
}

/**
 * Writes the numeric group values of a record at `out[offset..offset+8)`: cpu is 100 − idle (it
 * includes iowait, which also has its own group), network is in + out, close_wait is back + front.
 */
export function writeNumericFeatures(r: MetricRecord, out: Float32Array | Float64Array, offset: number): void {
  out[offset] = 100 - r.cpu_idle_pct;
  out[offset + 1] = r.mem_used_pct;
  out[offset + 2] = r.swap_used_pct;
  out[offset + 3] = r.disk_usage_pct;
  out[offset + 4] = r.cpu_iowait_pct;
  out[offset + 5] = r.load_average;
  out[offset + 6] = r.net_in_mb_s + r.net_out_mb_s;
  out[offset + 7] = r.back_close_wait + r.front_close_wait;
}
