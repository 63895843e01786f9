import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type DetectorOptions, StreamingAnomalyDetector } from "../forecast/streaming-anomaly-detector.js";

/** Repo root from dist-tools/bench/*.js or src/bench/*.ts. */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
export const DEFAULT_NAB_DIR = resolve(repoRoot, "../shared/data/nab");
export const DEFAULT_NAB_SCORER = resolve(repoRoot, "../shared/tools/nab-score.mjs");

export const NAB_PROFILES = ["standard", "reward_low_FP_rate", "reward_low_FN_rate"] as const;
export type NabProfileName = (typeof NAB_PROFILES)[number];
export type NabSplit = "tune" | "holdout" | "all";

/** What the shared scorer (shared/tools/nab-score.mjs) exports and this harness uses. */
interface NabLayout {
  nWindows: number;
}
interface ScoredFile {
  name: string;
  scores: Float64Array;
  layout: NabLayout;
}
export interface NabProfileResult {
  threshold: number | null;
  raw: number;
  nullScore: number;
  perfect: number;
  normalized: number | null;
}
interface NabScorer {
  parseTimestamp(s: string): number;
  layoutFile(times: number[], windows: [string, string][], name: string): NabLayout;
  scoreProfile(files: ScoredFile[], profile: unknown, opts?: { fixedThreshold?: number | null }): NabProfileResult;
  scoreFileAt(
    f: ScoredFile,
    profile: unknown,
    threshold: number | null,
  ): { raw: number; windowsDetected: number; windowsMissed: number; fpRows: number };
}

export interface NabFile {
  /** Path relative to the data dir, e.g. "realKnownCause/nyc_taxi.csv". */
  rel: string;
  category: string;
  timestamps: Date[];
  values: Float64Array;
  layout: NabLayout;
}

export interface NabCorpus {
  files: NabFile[];
  profiles: Record<NabProfileName, unknown>;
  scorer: NabScorer;
}

/**
 * The honest split: by file, deterministic. Within each category (top folder) the labelled files are
 * sorted by name and alternate tune, holdout, tune, ... so every category is in both halves
 * (a category of one file would only be in the tune half; NAB has none).
 */
export function nabSplit(rels: readonly string[], split: NabSplit): string[] {
  if (split === "all") return [...rels].sort();
  const byCategory = new Map<string, string[]>();
  for (const rel of rels) {
    const cat = rel.split(/[\\/]/)[0] ?? "";
    byCategory.set(cat, [...(byCategory.get(cat) ?? []), rel]);
  }
  const out: string[] = [];
  for (const files of byCategory.values()) {
    files.sort().forEach((rel, i) => {
      if ((i % 2 === 0) === (split === "tune")) out.push(rel);
    });
  }
  return out.sort();
}

export async function loadScorer(path = DEFAULT_NAB_SCORER): Promise<NabScorer> {
  return (await import(pathToFileURL(path).href)) as NabScorer;
}

/** Reads every labelled NAB series with its window layout (the scorer's own layout rules). */
export async function loadNabCorpus(nabDir = DEFAULT_NAB_DIR, scorerPath = DEFAULT_NAB_SCORER): Promise<NabCorpus> {
  const scorer = await loadScorer(scorerPath);
  const windows = JSON.parse(readFileSync(join(nabDir, "labels", "combined_windows.json"), "utf8")) as Record<
    string,
    [string, string][]
  >;
  const profiles = JSON.parse(readFileSync(join(nabDir, "config", "profiles.json"), "utf8")) as Record<
    NabProfileName,
    unknown
  >;
  const files: NabFile[] = [];
  for (const rel of Object.keys(windows).sort()) {
    const path = join(nabDir, "data", rel);
    if (!existsSync(path)) throw new Error(`NAB data file missing: ${path}`);
    const lines = readFileSync(path, "utf8")
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "");
    const n = lines.length - 1;
    const timestamps: Date[] = new Array(n);
    const times: number[] = new Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const line = lines[i + 1] ?? "";
      const comma = line.indexOf(",");
      const ts = line.slice(0, comma);
      const micros = scorer.parseTimestamp(ts);
      times[i] = micros;
      timestamps[i] = new Date(micros / 1000);
      values[i] = Number(line.slice(comma + 1));
    }
    files.push({
      rel,
      category: rel.split(/[\\/]/)[0] ?? "",
      timestamps,
      values,
      layout: scorer.layoutFile(times, windows[rel] ?? [], rel),
    });
  }
  return { files, profiles, scorer };
}

/** Runs a fresh detector over one series: each score uses only that point and the ones before it. */
export function scoreSeries(file: Pick<NabFile, "timestamps" | "values">, options?: Partial<DetectorOptions>) {
  const d = new StreamingAnomalyDetector(options);
  const out = new Float64Array(file.values.length);
  const epoch = new Date(0);
  for (let i = 0; i < out.length; i++) out[i] = d.update(file.timestamps[i] ?? epoch, file.values[i] ?? Number.NaN);
  return out;
}

export interface NabEvaluation {
  files: number;
  windows: number;
  rows: number;
  /** Detector time only (data already in memory), one core. */
  pointsPerSecond: number;
  /** Per profile: NAB's own optimised threshold on this set of files... */
  optimised: Record<NabProfileName, NabProfileResult & { windowsDetected: number; fpRows: number }>;
  /** ...and, when given, the score at a fixed threshold per profile (e.g. chosen on the tune half). */
  fixed?: Record<NabProfileName, NabProfileResult & { windowsDetected: number; fpRows: number }>;
}

/** Scores a set of files with the detector and NAB's rules (three profiles). */
export function evaluateNab(
  corpus: NabCorpus,
  rels: readonly string[],
  options?: Partial<DetectorOptions>,
  fixedThresholds?: Record<NabProfileName, number | null>,
): NabEvaluation {
  const wanted = new Set(rels);
  const files = corpus.files.filter((f) => wanted.has(f.rel));
  let rows = 0;
  const t0 = performance.now();
  const scored: ScoredFile[] = files.map((f) => {
    rows += f.values.length;
    return { name: f.rel, scores: scoreSeries(f, options), layout: f.layout };
  });
  const ms = performance.now() - t0;
  const run = (fixed: boolean) => {
    const res = {} as NonNullable<NabEvaluation["fixed"]>;
    for (const p of NAB_PROFILES) {
      const profile = corpus.profiles[p];
      const r = fixed
        ? corpus.scorer.scoreProfile(scored, profile, { fixedThreshold: fixedThresholds?.[p] ?? null })
        : corpus.scorer.scoreProfile(scored, profile);
      let windowsDetected = 0;
      let fpRows = 0;
      for (const f of scored) {
        const at = corpus.scorer.scoreFileAt(f, profile, r.threshold);
        windowsDetected += at.windowsDetected;
        fpRows += at.fpRows;
      }
      res[p] = { ...r, windowsDetected, fpRows };
    }
    return res;
  };
  return {
    files: files.length,
    windows: files.reduce((s, f) => s + f.layout.nWindows, 0),
    rows,
    pointsPerSecond: Math.round(rows / (ms / 1000)),
    optimised: run(false),
    ...(fixedThresholds ? { fixed: run(true) } : {}),
  };
}
