import { type LogView, quote } from "./log-view.js";
import { type Signal, signal } from "./signal.js";

/** First line matching `re` (and not `unless`), as the line and its match. */
function find(view: LogView, re: RegExp, unless?: RegExp) {
  for (const l of view.lines) {
    if (unless?.test(l.text)) continue;
    const m = re.exec(l.text);
    if (m) return { line: l.text, m };
  }
  return null;
}

/** Why a container cannot start: its image, its command, its configuration or its permissions. */
export function startSignals(view: LogView): Signal[] {
  const out: Signal[] = [];
  const pull = find(
    view,
    /Failed to pull image "([^"]+)"|\b(ErrImagePull|ImagePullBackOff|InvalidImageName)\b|manifest (?:for \S+ )?unknown|pull access denied/i,
  );
  if (pull) {
    const image =
      pull.m[1] ?? /Back-off pulling image "([^"]+)"|Image:\s+(\S+)/.exec(view.text)?.slice(1).find(Boolean);
    out.push(
      signal(
        "image_pull_failed",
        0.92,
        `image pull failure${image ? ` for image "${image}"` : ""} (failed to pull image: wrong name/tag, missing registry or credentials): ${quote(pull.line, 110, /pull|image/i)}`,
      ),
    );
  }
  const exec = find(
    view,
    /exec: "([^"]+)": (?:executable file not found in \$PATH|no such file or directory|permission denied)|(?:^|\s)(?:\/bin\/)?(?:sh|bash|ash|dash|zsh)(?:: line \d+)?: ([\w./-]+): (?:command )?not found|\b([\w./-]+): command not found|exec format error/i,
  );
  if (exec && /exec format error/i.test(exec.line)) {
    out.push(
      signal(
        "command_not_found",
        0.9,
        `the image's executable is built for another CPU architecture than the node's (exec format error): ${quote(exec.line, 100, /format/i)}`,
      ),
    );
  } else if (exec) {
    const cmd = exec.m[1] ?? exec.m[2] ?? exec.m[3];
    out.push(
      signal(
        "command_not_found",
        0.93,
        `the container command${cmd ? ` "${cmd}"` : ""} is not found (executable not found, likely a typo or a missing binary): ${quote(exec.line, 110, /not found|no such|format/i)}`,
      ),
    );
  }
  // A key missing from an existing ConfigMap/Secret names both, more precisely than the kubelet's reason.
  const key = find(view, /couldn't find key ([\w.-]+) in (ConfigMap|Secret) ([\w./-]+)/i);
  const env =
    key ??
    find(
      view,
      /(?:environment variable|env(?:ironment)? var(?:iable)?|required (?:setting|variable))\s+"?([A-Z][A-Z0-9_]{2,})"?\s+(?:is )?(?:not set|missing|undefined|required|is empty)|\bKeyError: '([A-Z][A-Z0-9_]{2,})'|([A-Z][A-Z0-9_]{2,}): (?:parameter null or not set|unbound variable)|(?:configmap|secret)s? "([^"]+)" not found|CreateContainerConfigError/i,
    );
  if (env) {
    const what = key ? undefined : (env.m[1] ?? env.m[2] ?? env.m[3]);
    const obj = key ? undefined : env.m[4];
    out.push(
      signal(
        "config_missing",
        0.88,
        key
          ? `key ${key.m[1]} is missing from ${key.m[2]} ${key.m[3]}, which the pod's environment references: ${quote(env.line, 100, /couldn't find key/i)}`
          : what
            ? `missing environment variable ${what} (not set in the pod spec): ${quote(env.line, 100, /not set|missing|undefined|KeyError|unbound/i)}`
            : `missing configuration${obj ? ` "${obj}"` : ""} referenced by the pod: ${quote(env.line, 100, /not found|ConfigError/i)}`,
      ),
    );
  }
  const syntax = find(
    view,
    /syntax error(?::| near)? (?:unexpected|near)[^\n]*|Syntax error: [^\n]+|unexpected (?:EOF|end of file) while looking for/i,
  );
  if (syntax)
    out.push(
      signal(
        "shell_syntax",
        0.85,
        `shell syntax error in the container command: ${quote(syntax.line, 110, /syntax|unexpected/i)}`,
      ),
    );
  const denied = find(
    view,
    /(?:permission denied|EACCES|Operation not permitted|read-only file system)/i,
    /serviceaccount|forbidden: User|rbac|pull access denied/i,
  );
  if (denied)
    out.push(
      signal(
        "permission_denied",
        0.6,
        `permission denied at startup (file mode, user or securityContext): ${quote(denied.line, 110, /denied|EACCES|not permitted|read-only/i)}`,
      ),
    );
  return out;
}
