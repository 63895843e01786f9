#!/usr/bin/env node
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DetectorOptions } from "../forecast/streaming-anomaly-detector.js";
import { Rng } from "../simulate/prng.js";
import { evaluateNab, loadNabCorpus, NAB_PROFILES, type NabCorpus, type NabFile } from "./nab-corpus.js";

/** The anomaly kinds of the synthetic corpus ("none": an anomaly-free control, which only charges FPs). */
export const SYNTHETIC_KINDS = ["shift", "spike", "flatten", "faster", "drift", "noise", "none"] as const;
export type SyntheticKind = (typeof SYNTHETIC_KINDS)[number];

export interface SyntheticSeries {
  name: string;
  kind: SyntheticKind;
  values: Float64Array;
  /** Row where the anomaly starts (-1 for a control). */
  at: number;
}

/**
 * One labelled series: a noisy periodic baseline (daily period of 288 five-minute rows; odd seeds add a
 * second harmonic and autocorrelated noise) with one anomaly of `kind` starting at a row in the last
 * 45% of the series. Magnitudes are drawn per seed from ranges that keep most of them inside the range
 * the baseline has already visited, so the spatial rule alone does not find them.
 */
export function syntheticSeries(kind: SyntheticKind, seed: number, n = 4000): SyntheticSeries {
  // The simulator's seeded mulberry32: the corpus is the same on every machine.
  const gen = new Rng(seed * 7919 + SYNTHETIC_KINDS.indexOf(kind) * 104729 + 1);
  const r = () => gen.next();
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const level = 20 + 80 * r();
  const amp = level * (0.1 + 0.2 * r());
  const sigma = amp * (0.1 + 0.15 * r());
  const phi = seed % 2 === 1 ? 0.7 : 0;
  const second = seed % 2 === 1 ? 0.4 : 0;
  const at = Math.floor(n * (0.55 + 0.3 * r()));
  const size = r();
  const values = new Float64Array(n);
  let ar = 0;
  for (let i = 0; i < n; i++) {
    const after = kind !== "none" && i >= at;
    let period = 288;
    if (kind === "faster" && after && i < at + 400) period = 144;
    const theta = (2 * Math.PI * i) / period;
    let a = amp;
    if (kind === "flatten" && after && i < at + 300) a = amp * 0.25;
    let noise = sigma;
    if (kind === "noise" && after) noise = sigma * (2.5 + 1.5 * size);
    ar = phi * ar + Math.sqrt(1 - phi * phi) * gauss();
    let v = level + a * (Math.sin(theta) + second * Math.sin(3 * theta + 1)) + noise * ar;
    if (kind === "shift" && after) v += amp * (0.5 + 0.7 * size);
    if (kind === "spike" && i === at) v += amp * (1.2 + 1.3 * size);
    if (kind === "drift" && after) v += amp * (0.8 + 0.6 * size) * Math.min(1, (i - at) / 500);
    values[i] = v;
  }
  return { name: `synthetic/${kind}_${seed}.csv`, kind, values, at: kind === "none" ? -1 : at };
}

/** NAB's window rule for one anomaly: 10% of the file's rows, centred on the anomaly's start. */
function windowRows(n: number, at: number): [number, number] {
  const half = Math.floor((0.1 * n) / 2);
  return [Math.max(0, at - half), Math.min(n - 1, at + half - 1)];
}

/**
 * The synthetic corpus in the shape `evaluateNab` takes: every kind × `seeds` seeds, laid out with the
 * shared scorer's own window rules (probation, reward curve), scored with NAB's profiles.
 */
export function syntheticCorpus(nab: Pick<NabCorpus, "scorer" | "profiles">, seeds = 4, n = 4000): NabCorpus {
  const t0 = Date.UTC(2026, 0, 1);
  const stamp = (i: number) => new Date(t0 + i * 300_000).toISOString().slice(0, 19).replace("T", " ");
  const files: NabFile[] = [];
  for (const kind of SYNTHETIC_KINDS) {
    for (let seed = 1; seed <= seeds; seed++) {
      const s = syntheticSeries(kind, seed, n);
      const stamps = Array.from({ length: n }, (_, i) => stamp(i));
      const windows: [string, string][] =
        s.at < 0 ? [] : [windowRows(n, s.at).map((i) => stamps[i] ?? "") as [string, string]];
      files.push({
        rel: s.name,
        category: "synthetic",
        timestamps: stamps.map((t) => new Date(`${t.replace(" ", "T")}Z`)),
        values: s.values,
        layout: nab.scorer.layoutFile(
          stamps.map((t) => nab.scorer.parseTimestamp(t)),
          windows,
          s.name,
        ),
      });
    }
  }
  return { files, profiles: nab.profiles, scorer: nab.scorer };
}

/** Scores one option set on the synthetic corpus at NAB's optimised threshold. */
export function scoreSynthetic(corpus: NabCorpus, options: Partial<DetectorOptions>) {
  const e = evaluateNab(
    corpus,
    corpus.files.map((f) => f.rel),
    options,
  );
  const out: Record<string, number | null> = {};
  for (const p of NAB_PROFILES) {
    const v = e.optimised[p].normalized;
    out[p] = v === null ? null : Math.round(v * 100) / 100;
  }
  return {
    ...out,
    threshold: e.optimised.standard.threshold,
    windowsDetected: e.optimised.standard.windowsDetected,
    windows: e.windows,
    fpRows: e.optimised.standard.fpRows,
  };
}

async function main(argv: string[]): Promise<void> {
  const nab = await loadNabCorpus();
  const seedsIdx = argv.indexOf("--seeds");
  const corpus = syntheticCorpus(nab, seedsIdx >= 0 ? Number(argv[seedsIdx + 1]) : 4);
  const sets = argv.flatMap((a, i) => (a === "--options" ? [argv[i + 1] ?? "{}"] : []));
  for (const json of sets.length ? sets : ["{}"]) {
    const options = JSON.parse(json) as Partial<DetectorOptions>;
    console.log(JSON.stringify({ options, files: corpus.files.length, ...scoreSynthetic(corpus, options) }));
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
