#!/usr/bin/env node
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  DEFAULT_DETECTOR_OPTIONS,
  type DetectorOptions,
  StreamingAnomalyDetector,
} from "../forecast/streaming-anomaly-detector.js";
import {
  DEFAULT_NAB_DIR,
  evaluateNab,
  loadNabCorpus,
  NAB_PROFILES,
  type NabEvaluation,
  type NabProfileName,
  type NabSplit,
  nabSplit,
} from "./nab-corpus.js";

export const DEFAULT_NAB_DATA = join(DEFAULT_NAB_DIR, "data");
const SPLITS: readonly NabSplit[] = ["tune", "holdout", "all"];

export interface NabRunSummary {
  files: number;
  rows: number;
  ms: number;
}

/** Lists *.csv under dir, recursively, as paths relative to dir (sorted for determinism). */
export function listCsv(dir: string, sub = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
    const rel = sub ? join(sub, e.name) : e.name;
    if (e.isDirectory()) out.push(...listCsv(dir, rel));
    else if (e.name.endsWith(".csv")) out.push(rel);
  }
  return out.sort();
}

/** NAB timestamps are "YYYY-MM-DD HH:MM:SS" in UTC. */
export function parseTimestamp(s: string): Date {
  return new Date(`${s.trim().replace(" ", "T")}${/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? "" : "Z"}`);
}

/** Scores one CSV text (header timestamp,value) with a fresh detector; returns the output CSV text. */
export function scoreCsv(text: string, options?: Partial<DetectorOptions>): { csv: string; rows: number } {
  const detector = new StreamingAnomalyDetector(options);
  const lines = text.split(/\r?\n/);
  const out = ["timestamp,value,anomaly_score"];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const comma = line.indexOf(",");
    const ts = line.slice(0, comma);
    const raw = line.slice(comma + 1);
    const score = detector.update(parseTimestamp(ts), Number(raw));
    out.push(`${ts},${raw},${score}`);
  }
  return { csv: `${out.join("\n")}\n`, rows: out.length - 1 };
}

/**
 * Runs the same detector class from scratch over every series of the split and mirrors the folder
 * layout in outDir (read, score, write: the end-to-end time is measured).
 */
export function runNab(
  dataDir: string,
  outDir: string,
  options?: Partial<DetectorOptions>,
  split: NabSplit = "all",
): NabRunSummary {
  const t0 = performance.now();
  let rows = 0;
  const files = nabSplit(listCsv(dataDir), split);
  for (const rel of files) {
    const scored = scoreCsv(readFileSync(join(dataDir, rel), "utf8"), options);
    rows += scored.rows;
    const target = join(outDir, rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, scored.csv);
  }
  return { files: files.length, rows, ms: performance.now() - t0 };
}

/** Heap bytes per detector (fresh and after 2,000 points), measured over `n` instances. */
export function bytesPerSeries(n = 1000, options?: Partial<DetectorOptions>): { fresh: number; warmed: number } {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const before = heap();
  const ds = Array.from({ length: n }, () => new StreamingAnomalyDetector(options));
  const fresh = (heap() - before) / n;
  const t = new Date(0);
  for (const [k, d] of ds.entries())
    for (let i = 0; i < 2000; i++) d.update(t, Math.sin(i / (7 + (k % 5))) * 10 + (i % 13));
  const warmed = (heap() - before) / n;
  if (ds.length !== n) throw new Error("unreachable");
  return { fresh: Math.round(fresh), warmed: Math.round(warmed) };
}

type Figures = Record<
  NabProfileName,
  { score: number | null; threshold: number | null; windowsDetected: number; fpRows: number }
>;

function figures(r: NonNullable<NabEvaluation["fixed"]>): Figures {
  const out = {} as Figures;
  for (const p of NAB_PROFILES) {
    const x = r[p];
    out[p] = {
      score: x.normalized === null ? null : Math.round(x.normalized * 100) / 100,
      threshold: x.threshold,
      windowsDetected: x.windowsDetected,
      fpRows: x.fpRows,
    };
  }
  return out;
}

/**
 * The protocol of NAB-RESULTS.md: one parameter set; NAB's threshold optimisation on the tune half
 * fixes one threshold per profile; the held-out half and the full corpus are reported both at those
 * thresholds and with the scorer's own optimisation.
 */
export async function nabSummary(nabDir: string, options?: Partial<DetectorOptions>) {
  const corpus = await loadNabCorpus(nabDir);
  const rels = corpus.files.map((f) => f.rel);
  const tune = evaluateNab(corpus, nabSplit(rels, "tune"), options);
  const tuneThresholds = Object.fromEntries(NAB_PROFILES.map((p) => [p, tune.optimised[p].threshold])) as Record<
    NabProfileName,
    number | null
  >;
  const holdout = evaluateNab(corpus, nabSplit(rels, "holdout"), options, tuneThresholds);
  const all = evaluateNab(corpus, nabSplit(rels, "all"), options, tuneThresholds);
  const part = (e: NabEvaluation) => ({
    files: e.files,
    windows: e.windows,
    rows: e.rows,
    optimisedThreshold: figures(e.optimised),
    ...(e.fixed ? { tuneHalfThreshold: figures(e.fixed) } : {}),
  });
  return {
    detector: "StreamingAnomalyDetector",
    options: { ...DEFAULT_DETECTOR_OPTIONS, ...options },
    split: "by file: within each category, sorted names alternate tune, holdout (nab-corpus.ts nabSplit)",
    tuneThresholds,
    tune: part(tune),
    holdout: part(holdout),
    full: part(all),
    detectorPointsPerSecond: all.pointsPerSecond,
  };
}

function main(argv: string[]): Promise<void> | undefined {
  let nabDir = DEFAULT_NAB_DIR;
  let data: string | undefined;
  let out: string | undefined;
  let summaryPath: string | undefined;
  let split: NabSplit = "all";
  let options: Partial<DetectorOptions> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--data") data = resolve(argv[++i] ?? "");
    else if (a === "--nab") nabDir = resolve(argv[++i] ?? "");
    else if (a === "--out") out = resolve(argv[++i] ?? "");
    else if (a === "--summary") summaryPath = resolve(argv[++i] ?? "");
    else if (a === "--split") split = (argv[++i] ?? "") as NabSplit;
    else if (a === "--options") options = JSON.parse(argv[++i] ?? "{}") as Partial<DetectorOptions>;
    else if (a === "--help" || a === "-h") {
      console.log(
        "usage: npm run nab -- --out DIR [--split tune|holdout|all] [--summary FILE] [--nab NAB_DIR] [--data DATA_DIR] [--options JSON]\n" +
          "  writes DIR/<category>/<file>.csv for the split and FILE (default DIR/nab-summary.json): tune, held-out and\n" +
          "  full-corpus NAB scores for the three profiles, throughput and bytes per series",
      );
      return;
    }
  }
  if (!out) {
    console.error("--out DIR is required");
    process.exitCode = 2;
    return;
  }
  if (!SPLITS.includes(split)) {
    console.error(`--split must be one of ${SPLITS.join(", ")}`);
    process.exitCode = 2;
    return;
  }
  const outDir = out;
  const s = runNab(data ?? join(nabDir, "data"), outDir, options, split);
  console.error(
    `scored ${s.files} files (${split}), ${s.rows} rows in ${s.ms.toFixed(0)} ms → ${relative(process.cwd(), outDir) || "."}`,
  );
  return nabSummary(nabDir, options).then((summary) => {
    const result = {
      measuredAt: new Date().toISOString(),
      ...summary,
      endToEnd: {
        split,
        files: s.files,
        rows: s.rows,
        ms: Math.round(s.ms),
        pointsPerSecond: Math.round(s.rows / (s.ms / 1000)),
      },
      bytesPerSeries: bytesPerSeries(1000, options),
    };
    const target = summaryPath ?? join(outDir, "nab-summary.json");
    writeFileSync(target, `${JSON.stringify(result, null, 2)}\n`);
    const line = (name: string, f: Figures) =>
      `  ${name.padEnd(34)} ${NAB_PROFILES.map((p) => (f[p].score ?? Number.NaN).toFixed(2).padStart(6)).join(" ")}`;
    console.error(
      [
        `NAB (standard, low-FP, low-FN), one parameter set, thresholds from the tune half:`,
        line("tune half (optimised)", result.tune.optimisedThreshold),
        line("held-out half @ tune thresholds", result.holdout.tuneHalfThreshold ?? result.holdout.optimisedThreshold),
        line("held-out half (optimised)", result.holdout.optimisedThreshold),
        line("full corpus @ tune thresholds", result.full.tuneHalfThreshold ?? result.full.optimisedThreshold),
        line("full corpus (optimised)", result.full.optimisedThreshold),
        `  detector ${result.detectorPointsPerSecond} points/s, end-to-end ${result.endToEnd.pointsPerSecond} points/s, ` +
          `${result.bytesPerSeries.warmed} bytes/series → ${relative(process.cwd(), target)}`,
      ].join("\n"),
    );
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2))?.catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
