import { logCpuPercents } from "./cpu-signals.js";
import { httpMix } from "./http-mix.js";
import { type LogView, quote } from "./log-view.js";
import { pct, ramp } from "./numbers.js";
import { type Signal, signal } from "./signal.js";

/** `kubectl top pods` rows: pod count and the busiest pod's CPU in millicores. */
function kubectlTop(view: LogView): { pods: number; maxMillicores: number } | null {
  const rows = view.lines
    .map((l) => /^\S+\s+(\d+)m\s+\d+(?:Mi|Gi|Ki)\s*$/.exec(l.text.trim()))
    .filter((m) => m !== null);
  return rows.length ? { pods: rows.length, maxMillicores: Math.max(...rows.map((m) => Number(m[1]))) } : null;
}

/** Replicas mentioned in logs ("replicas=14", "10 replicas"), for sizing questions. */
export function logReplicas(view: LogView): number | null {
  for (const l of [...view.lines.map((x) => x.text), view.alert]) {
    const m = /\breplicas[=:\s]+(\d+)\b|\b(\d+) replicas\b|\bx\s*(\d+) replicas\b/i.exec(l);
    if (m) return Number(m[1] ?? m[2] ?? m[3]);
  }
  return kubectlTop(view)?.pods ?? null;
}

function utilisation(view: LogView): Signal[] {
  const out: Signal[] = [];
  const m = view.input.context?.metrics;
  const replicas = view.input.context?.replicas ?? logReplicas(view);
  if (
    m &&
    typeof m.cpu_percent === "number" &&
    m.cpu_percent <= 15 &&
    (m.memory_percent ?? 0) <= 40 &&
    (m.error_rate ?? 0) <= 0.01
  ) {
    out.push(
      signal(
        "low_utilisation",
        ramp(m.cpu_percent, 15, 3),
        `cpu ${pct(m.cpu_percent)}, memory ${pct(m.memory_percent ?? 0)}, error_rate ${pct((m.error_rate ?? 0) * 100)} (context)`,
        "context",
      ),
    );
  } else if (!m || typeof m.cpu_percent !== "number") {
    const cpus = logCpuPercents(view);
    const low = cpus.length > 0 && cpus.every((c) => c.value <= 10);
    if (low)
      out.push(
        signal(
          "low_utilisation",
          0.7,
          `CPU at ${pct(Math.max(...cpus.map((c) => c.value)))}: ${quote(cpus[0]?.line ?? "", 90)}`,
        ),
      );
  }
  const idleWords =
    view.lines.find((l) =>
      /\bidle\b(?!\s*[=:]\s*\d|\s+(?:connections?|in transaction|timeout|conns?)\b)|under-?utili[sz]ed|over-?provisioned|right-?siz|kubecost|idle cost|never reverted|job queue empty|no requests? (?:received|since)|VPA recommendation|recommend\w*[^\n]{0,30}(?:lower|reduce|downsiz)/i.test(
        l.text,
      ),
    ) ??
    (/low ?utili[sz]ation|idle|cost anomaly|over-?provision|right-?siz/i.test(view.alert)
      ? { text: view.alert }
      : undefined);
  if (idleWords) out.push(signal("low_utilisation", 0.6, `capacity unused: ${quote(idleWords.text, 90)}`));
  const top = kubectlTop(view);
  if (top && top.maxMillicores <= 25 && !(m && typeof m.cpu_percent === "number")) {
    out.push(
      signal("low_utilisation", 0.7, `kubectl top: ${top.pods} pods each using at most ${top.maxMillicores}m CPU`),
    );
  }
  if (replicas !== null && replicas >= 6)
    out.push(signal("many_replicas", ramp(replicas, 5, 12), `${replicas} replicas running`));
  return out;
}

function recovery(view: LogView): Signal[] {
  const out: Signal[] = [];
  const resolved = view.lines.find(
    (l) =>
      !/(?:not|never|un)\s*(?:be(?:en)?\s+)?resolved|could not resolve/i.test(l.text) &&
      /\[RESOLVED\]|\bresolved\b|\brecovered\b|back to normal|\bback (?:to|under|below) (?:baseline|\d)|returned to (?:normal|baseline)|probe succeeded|Ready=True|all \d+ pods (?:are )?Ready|\b(\d+)\/\1 (?:pods |replicas )?(?:are )?(?:Ready|ready|running|healthy)\b|self-?healed|auto-?resolved/i.test(
        l.text,
      ),
  );
  if (resolved) out.push(signal("resolved", 0.85, `already recovered: ${quote(resolved.text, 100)}`));
  // "0.62% (1m) -> 0.02% (5m)": the rate fell back on its own.
  const falling = view.lines.find((l) => {
    const m = /(?<![\d.])(\d+(?:\.\d+)?)%\s*\([^)]*\)\s*(?:->|→)\s*(\d+(?:\.\d+)?)%/.exec(l.text);
    return m !== null && Number(m[2]) < Number(m[1]) / 3;
  });
  if (falling) out.push(signal("resolved", 0.7, `the error rate already fell back: ${quote(falling.text, 90)}`));
  const window = /firing\s+(\d{2}:\d{2}:\d{2})\s*-\s*(\d{2}:\d{2}:\d{2})/.exec(view.text);
  if (window) {
    const secs = (t: string) => t.split(":").reduce((a, b) => a * 60 + Number(b), 0);
    const d = secs(window[2] ?? "") - secs(window[1] ?? "");
    if (d >= 0 && d <= 600) out.push(signal("transient", 0.7, `the alert fired for only ${d} s`));
  }
  const maintenance = view.lines.find((l) =>
    /scale down: node|\bdrain(?:ed|ing)?\b|\bcordon(?:ed)?\b|node (?:upgrade|maintenance)|for (?:an? )?(?:upgrade|maintenance)|nightly|scheduled (?:job|maintenance|refresh)|\bcron\b|rolling restart|node (?:removed|replaced)|spot (?:interruption|termination)/i.test(
      l.text,
    ),
  );
  if (maintenance) out.push(signal("transient", 0.5, `expected operational event: ${quote(maintenance.text, 90)}`));
  return out;
}

function errorsShape(view: LogView): Signal[] {
  const out: Signal[] = [];
  const mix = httpMix(view);
  if (mix.client > 0 && mix.server === 0)
    out.push(
      signal(
        "client_errors_only",
        0.7,
        `${mix.client} client error${mix.client === 1 ? "" : "s"} (4xx) and no server errors: callers send bad requests`,
      ),
    );
  if (mix.server > 0)
    out.push(
      signal(
        "server_errors",
        ramp(mix.server / Math.max(1, mix.server + mix.ok), 0.01, 0.2),
        `${mix.server} server error${mix.server === 1 ? "" : "s"} (5xx) vs ${mix.ok} successes`,
      ),
    );
  const errorLines = view.lines.filter((l) => l.level === "error").length;
  if (errorLines > 0)
    out.push(
      signal(
        "error_logs",
        errorLines >= 3 ? 0.8 : 0.5,
        `${errorLines} error-level log line${errorLines === 1 ? "" : "s"}`,
      ),
    );
  const none = view.lines.find((l) =>
    /\bno (?:new )?(?:ERROR|errors?|exceptions?|application exceptions)\b|\b(?:processing )?errors=0\b|status_5xx"?:\s*0\b|no ERROR or WARN/i.test(
      l.text,
    ),
  );
  if (none) out.push(signal("no_errors", 0.7, `no errors reported: ${quote(none.text, 90)}`));
  return out;
}

function monitoringOnly(view: LogView): Signal[] {
  const out: Signal[] = [];
  const synthetic =
    view.lines.find((l) => /synthetics?|probe [\w-]+ (?:failed|ok)|from probe|blackbox|uptime check/i.test(l.text)) ??
    (/synthetic|blackbox|uptime check/i.test(view.alert) ? { text: view.alert } : undefined);
  const noLogs = view.lines.find((l) =>
    /no (?:application )?logs? (?:received|shipped|available)|log shipper backlog|logs? (?:missing|delayed)/i.test(
      l.text,
    ),
  );
  if (synthetic)
    out.push(
      signal(
        "synthetic_only",
        noLogs ? 0.8 : 0.5,
        `only an external probe sees a problem: ${quote(synthetic.text, 90)}`,
      ),
    );
  else if (noLogs) out.push(signal("synthetic_only", 0.5, `application logs are missing: ${quote(noLogs.text, 90)}`));
  const business =
    view.lines.find((l) =>
      /\b(?:ctr|conversion|revenue|click[- ]?through|forecast|signups?|checkout rate|engagement)\b/i.test(l.text),
    ) ?? (/\b(?:ctr|conversion|revenue|click-?through)\b/i.test(view.alert) ? { text: view.alert } : undefined);
  if (business)
    out.push(
      signal("business_metric", 0.6, `a business metric moved without a technical signal: ${quote(business.text, 90)}`),
    );
  if (/^info$/i.test(view.input.severity ?? "")) out.push(signal("info_severity", 0.6, "severity INFO", "alert"));
  return out;
}

export function healthSignals(view: LogView): Signal[] {
  return [...utilisation(view), ...recovery(view), ...errorsShape(view), ...monitoringOnly(view)];
}
