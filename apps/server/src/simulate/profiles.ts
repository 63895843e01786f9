/** Server profiles of the simulated fleet: naming, baselines at business-hours peak, and daily shape. */

export type ProfileId = "database" | "web" | "ml" | "conductor" | "etl" | "risk";

export interface ServerProfile {
  id: ProfileId;
  /** Display name, as the seed's `profile` field ("Database"). */
  label: string;
  /** Hostname prefix: `ppdb` → ppdb001, ppdb002, … */
  prefix: string;
  /** Share of the fleet. */
  weight: number;
  cores: number;
  /** Runs a JVM (java_cpu_pct is a share of cpu_user_pct); otherwise java_cpu_pct is 0. */
  jvm: boolean;
  /** CPU percentages at peak activity. */
  cpuUser: number;
  cpuSys: number;
  cpuIowait: number;
  /** Memory % at peak; `memSeasonal` is how much of it follows activity. */
  mem: number;
  memSeasonal: number;
  /** Typical disk usage % (per-server jitter is added). */
  disk: number;
  /** MB/s at peak, and out/in ratio. */
  netIn: number;
  netOutRatio: number;
  /** Mean CLOSE_WAIT counts at peak. */
  backCloseWait: number;
  frontCloseWait: number;
  /** Share of the load that is always present (batch/compute workloads are flatter). */
  floor: number;
  /** Activity shape: business hours, overnight batch, or market hours. */
  shape: "business" | "batch" | "market";
  /** Shows a `morning_spike` status during the morning ramp. */
  morningSpike: boolean;
}

export const PROFILES: readonly ServerProfile[] = [
  {
    id: "web",
    label: "Web Server",
    prefix: "ppweb",
    weight: 0.3,
    cores: 8,
    jvm: true,
    cpuUser: 38,
    cpuSys: 9,
    cpuIowait: 1.5,
    mem: 58,
    memSeasonal: 10,
    disk: 35,
    netIn: 30,
    netOutRatio: 2.6,
    backCloseWait: 4,
    frontCloseWait: 6,
    floor: 0.15,
    shape: "business",
    morningSpike: true,
  },
  {
    id: "database",
    label: "Database",
    prefix: "ppdb",
    weight: 0.15,
    cores: 16,
    jvm: false,
    cpuUser: 32,
    cpuSys: 10,
    cpuIowait: 8,
    mem: 74,
    memSeasonal: 4,
    disk: 58,
    netIn: 45,
    netOutRatio: 1.4,
    backCloseWait: 2,
    frontCloseWait: 1,
    floor: 0.25,
    shape: "business",
    morningSpike: true,
  },
  {
    id: "ml",
    label: "ML Compute",
    prefix: "ppml",
    weight: 0.15,
    cores: 32,
    jvm: false,
    cpuUser: 60,
    cpuSys: 5,
    cpuIowait: 2,
    mem: 72,
    memSeasonal: 8,
    disk: 62,
    netIn: 12,
    netOutRatio: 0.5,
    backCloseWait: 1,
    frontCloseWait: 0.5,
    floor: 0.55,
    shape: "business",
    morningSpike: false,
  },
  {
    id: "conductor",
    label: "Conductor Mgmt",
    prefix: "ppcon",
    weight: 0.1,
    cores: 8,
    jvm: true,
    cpuUser: 22,
    cpuSys: 6,
    cpuIowait: 1,
    mem: 52,
    memSeasonal: 6,
    disk: 30,
    netIn: 6,
    netOutRatio: 1,
    backCloseWait: 3,
    frontCloseWait: 2,
    floor: 0.3,
    shape: "business",
    morningSpike: true,
  },
  {
    id: "etl",
    label: "Data Ingest",
    prefix: "ppetl",
    weight: 0.15,
    cores: 16,
    jvm: true,
    cpuUser: 45,
    cpuSys: 11,
    cpuIowait: 12,
    mem: 62,
    memSeasonal: 12,
    disk: 66,
    netIn: 85,
    netOutRatio: 0.25,
    backCloseWait: 2,
    frontCloseWait: 1,
    floor: 0.2,
    shape: "batch",
    morningSpike: false,
  },
  {
    id: "risk",
    label: "Risk Analytics",
    prefix: "pprisk",
    weight: 0.15,
    cores: 32,
    jvm: true,
    cpuUser: 55,
    cpuSys: 7,
    cpuIowait: 3,
    mem: 66,
    memSeasonal: 8,
    disk: 42,
    netIn: 15,
    netOutRatio: 0.7,
    backCloseWait: 2,
    frontCloseWait: 2,
    floor: 0.2,
    shape: "market",
    morningSpike: true,
  },
];

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Activity in [0, ~1.15] at an hour of day (0–24, fractional) and weekday (0 = Sunday), before the profile floor.
 * Business hours rise around 08:00 with a short overshoot (the morning spike) and fall after 18:00;
 * batch ingest peaks overnight; market hours run 08:00–17:00 with a sharper open.
 */
export function dailyShape(shape: ServerProfile["shape"], hour: number, weekday: number): number {
  const weekend = weekday === 0 || weekday === 6;
  if (shape === "batch") {
    const h = (hour + 2) % 24; // 22:00 → 0: the overnight batch window is h ∈ [0.5, 6.5]
    return 0.3 + 0.7 * sigmoid((h - 0.5) * 2) * sigmoid((6.5 - h) * 2);
  }
  const [open, close] = shape === "market" ? [8, 17] : [8, 18.5];
  const day = sigmoid((hour - open) * 2.2) * sigmoid((close - hour) * 1.4);
  const spike = 0.15 * Math.exp(-(((hour - (open + 0.75)) / 0.6) ** 2));
  const lunch = shape === "business" ? 0.08 * Math.exp(-(((hour - 12.5) / 0.7) ** 2)) : 0;
  const level = day + spike - lunch;
  return weekend ? 0.45 * level : level;
}

/** True during the morning ramp of a weekday (07:30–09:30), when such profiles report `morning_spike`. */
export function inMorningRamp(hour: number, weekday: number): boolean {
  return weekday >= 1 && weekday <= 5 && hour >= 7.5 && hour < 9.5;
}
