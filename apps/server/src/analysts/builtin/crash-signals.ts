import { type LogView, quote } from "./log-view.js";
import { ramp } from "./numbers.js";
import { type Signal, signal } from "./signal.js";

const CONFIG_ERROR =
  /Missing (?:required )?(?:environment variable|env(?:ironment)? var\w*|config(?:uration)? (?:key|value)|setting)|environment variable \w{3,} (?:is )?(?:not set|missing|required|empty)|Failed to bind properties|Could not bind properties|ConfigurationPropertiesBindException|Invalid value for [\w.-]+|\byaml: (?:line \d+|unmarshal)|YAMLException|mapping values are not allowed|could not find expected ':'|JSONDecodeError|Unexpected token [^\n]{0,20} in JSON|invalid character [^\n]{0,20} looking for|\btoml: |cannot unmarshal|unknown (?:field|key|directive|option)|invalid (?:configuration|config)\b|config(?:uration)?[^\n]{0,20}(?:validation failed|invalid|parse error|could not be parsed)|(?:load|parse|read)(?:ing)? config\w*[^\n]{0,20}(?:error|fail)|ValidationError[^\n]{0,40}(?:[Ss]ettings|[Cc]onfig)|CreateContainerConfigError|Could not resolve placeholder|ImproperlyConfigured|ConfigurationError|Missing `?secret_key_base|config(?:uration)? (?:key|value|property) [\w.'"]+ (?:is )?(?:missing|not set|required)|couldn't find key [\w.-]+ in (?:Secret|ConfigMap)|(?:secret|configmap) "[^"]+" not found|flag provided but not defined|unknown (?:short )?flag|required key [\w.]+ missing|NumberFormatException[^\n]{0,60}(?:property|config|env)|(?:no such file|not found)[^\n]{0,40}\.(?:ya?ml|json|toml|conf|ini|properties|env)\b/i;

const STARTUP_FAILURE =
  /APPLICATION FAILED TO START|failed to start|Exception encountered during context initialization|(?:level=fatal|\bFATAL\b)[^\n]{0,60}(?:config|load|init|start|boot)|init(?:iali[sz]ation)? failed|Error: Cannot find module|could not (?:start|initiali[sz]e)|exited before (?:becoming )?ready|startup probe failed/i;

/** Restart counts as kubelet, kubectl and our own history print them. */
export function restartCount(view: LogView): { count: number; evidence: string } {
  let best = { count: 0, evidence: "" };
  const ctx = view.input.context?.restarts_last_hour;
  if (typeof ctx === "number") best = { count: ctx, evidence: `${ctx} restarts in the last hour (context)` };
  for (const l of view.lines) {
    const patterns = [
      /restart[_ ]?count[=:\s]+(\d+)/i,
      /Restart Count:\s+(\d+)/i,
      /\(x(\d+) over [\dhms]+\)/,
      /restarted (\d+) times/i,
      /(?<!\d)(\d+) restarts? in (?:the )?last (?:hour|60 ?m)/i,
      /restarts?\W{0,3}(\d+)\s+(?:times\s+)?in (?:the )?(?:last|past) (?:hour|60 ?m)/i,
    ];
    for (const re of patterns) {
      const m = re.exec(l.text);
      if (m && Number(m[1]) > best.count) best = { count: Number(m[1]), evidence: quote(l.text, 90) };
    }
    // Our own remediation history: count RESTART entries on one line.
    if (/history/i.test(l.text)) {
      const n = l.text.match(/\bRESTART\b/g)?.length ?? 0;
      if (n > best.count) best = { count: n, evidence: `${n} restarts in remediation history` };
    }
  }
  return best;
}

export function crashSignals(view: LogView): Signal[] {
  const out: Signal[] = [];
  const loop = view.lines.find((l) =>
    /CrashLoopBackOff|Back-?off restarting failed container|crash ?loop/i.test(l.text),
  );
  if (loop) out.push(signal("crashloop", 0.9, `crash loop: ${quote(loop.text, 100)}`));
  else if (/crash ?loop|back-?off restarting|restarting repeatedly/i.test(view.alert)) {
    out.push(signal("crashloop", 0.5, `alert reports a crash loop: "${view.alert}"`, "alert"));
  }
  const restarts = restartCount(view);
  if (restarts.count >= 3 && !loop)
    out.push(signal("crashloop", ramp(restarts.count, 2, 6), `repeated restarts: ${restarts.evidence}`));
  // An upper-case KeyError is an environment variable lookup (os.environ["DATABASE_URL"]).
  const config = view.lines.find((l) => CONFIG_ERROR.test(l.text) || /KeyError: '[A-Z][A-Z0-9_]{2,}'/.test(l.text));
  if (config) out.push(signal("config_error", 0.9, `configuration error: ${quote(config.text, 110, CONFIG_ERROR)}`));
  const startup = view.lines.find((l) => STARTUP_FAILURE.test(l.text));
  if (startup)
    out.push(signal("startup_failure", 0.8, `fails during startup: ${quote(startup.text, 100, STARTUP_FAILURE)}`));
  const native = view.lines.find((l) =>
    /Segmentation fault|SIGSEGV|signal 11\b|Exit Code:\s+139|exit(?:ed)? (?:with )?code[=:\s]*139|core dumped|SIGABRT|double free|stack smashing/i.test(
      l.text,
    ),
  );
  if (native) out.push(signal("native_crash", 0.8, `native crash: ${quote(native.text, 100)}`));
  return out;
}
