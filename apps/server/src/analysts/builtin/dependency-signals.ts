import { type LogView, quote } from "./log-view.js";
import { pct } from "./numbers.js";
import { type Signal, signal } from "./signal.js";

/** First line matching `re` (and not `unless`) becomes one signal. */
function first(
  view: LogView,
  kind: Signal["kind"],
  strength: number,
  label: string,
  re: RegExp,
  unless?: RegExp,
): Signal[] {
  const line = view.lines.find((l) => re.test(l.text) && !unless?.test(l.text));
  return line ? [signal(kind, strength, `${label}: ${quote(line.text, 110, re)}`)] : [];
}

const PROBE = /probe|liveness|readiness|healthz|synthetic/i;

export function dependencySignals(view: LogView): Signal[] {
  const out: Signal[] = [
    ...first(
      view,
      "db_pool_exhausted",
      0.85,
      "connection pool exhausted",
      /Connection is not available, request timed out|HikariPool[^\n]*(?:timed out|waiting=[1-9])|QueuePool limit|unable to (?:acquire|obtain|get) (?:a )?(?:db |database )?connection|could not (?:obtain|acquire) (?:a )?connection|\bpool\b[^\n]{0,40}\b(?:idle=0\b[^\n]*waiting=[1-9]|exhausted)|connection pool[^\n]{0,30}(?:exhausted|timeout|full)/i,
    ),
    ...first(
      view,
      "db_conn_limit",
      0.8,
      "database out of connection slots",
      /too many (?:clients|connections)|remaining connection slots|max_connections[^\n]{0,20}(?:reached|exceeded)|ER_CON_COUNT_ERROR|connection limit exceeded/i,
    ),
    ...first(
      view,
      "db_lock",
      0.85,
      "lock contention in the database",
      /lock timeout|lock wait timeout|waiting for \w*Lock|deadlock detected|Deadlock found|\b55P03\b|\b40P01\b|Process holding the lock|blocked by (?:pid|process|transaction)|LOCK_TIMEOUT|lock contention|row lock/i,
    ),
    ...first(
      view,
      "db_slow",
      0.7,
      "slow database",
      /slow[ _-]?(?:query|operation|log)|SLOWLOG|QueryTimeout|Query_time:|statement execution time exceeded|blocked on (?:JDBC|the database|db)|Query read timeout|statement timeout|canceling statement|\b57014\b|query timed? ?out|ReadLatency|WriteLatency|DiskQueueDepth|replication lag|COLLSCAN|IOPS[^\n]{0,30}(?:provisioned|limit)/i,
    ),
    ...first(
      view,
      "dep_unreachable",
      0.7,
      "dependency unreachable",
      /\bECONNREFUSED\b|connection refused|\bEHOSTUNREACH\b|no route to host|\bENOTFOUND\b|getaddrinfo|\bNXDOMAIN\b|could not resolve|Name or service not known|Temporary failure in name resolution|Connection is closed|server selection (?:timed out|timeout)|ServerSelectionTimeout|NoNodeAvailable|no healthy upstream|upstream connect error|No connection could be made|Can't connect to (?:MySQL|server)|Connection to [\w.-]+:\d+ refused|could not be established|Broker may not be available|LEADER_NOT_AVAILABLE|NOT_ENOUGH_REPLICAS|NoBrokersAvailable|\bEAI_AGAIN\b|host is down|network is unreachable/i,
      PROBE,
    ),
    ...first(
      view,
      "dep_unreachable",
      0.8,
      "cannot connect to its database",
      /(?:db|database|sql|query)\b[^\n]{0,60}\b(?:failed|refused|unavailable)[^\n]{0,60}(?:no available connection|tried:|connect)|(?:could not|unable to|cannot|failed to) connect to (?:the )?(?:database|db\b|postgres\w*|mysql|mongo\w*)/i,
      PROBE,
    ),
    ...first(
      view,
      "dep_unreachable",
      0.45,
      "connection resets from a peer",
      /ECONNRESET|connection reset by peer|broken pipe|EOF while reading|unexpected EOF/i,
      /cursor|probe|synthetic/i,
    ),
    ...first(
      view,
      "dep_5xx",
      0.8,
      "a downstream dependency returns 5xx",
      /\b(?:GET|POST|PUT|PATCH|DELETE)\s+https?:\/\/\S+\s*(?:->|→|returned|status[=:]?)\s*5\d\d|upstream (?:returned|responded(?: with)?) 5\d\d|\b50[234] (?:Service Unavailable|Bad Gateway|Gateway Time-?out)\b[^\n]*(?:from|upstream|request-id|calling)|(?:statuspage|status page)[^\n]*(?:investigating|identified|degraded|outage|elevated error)|\bcode\b["':=\s]+(?:Unavailable|UNAVAILABLE)\b|\bService ?Unavailable(?:Exception)?\b|\bBad Gateway\b|\bGateway Time-?out\b|\(SlowDown\)|ThrottlingException|Rate exceeded|ProvisionedThroughputExceeded|TooManyRequestsException|(?:AWS Health|Health Dashboard|status\.[\w-]+\.\w+)[^\n]*(?:Investigating|error rates|outage|degraded)|Increased error rates/i,
      /"(?:GET|POST|PUT|PATCH|DELETE|HEAD) \S+ HTTP\/[\d.]+" \d{3}/,
    ),
    ...first(
      view,
      "upstream_timeout",
      0.55,
      "calls to an upstream time out",
      /upstream (?:request )?timed? ?out|upstream request timeout|context deadline exceeded|DEADLINE_EXCEEDED|Read timed out|ReadTimeout|ETIMEDOUT|timeout (?:awaiting|waiting for) (?:response|headers)|gateway timeout/i,
      PROBE,
    ),
    ...first(
      view,
      "circuit_open",
      0.75,
      "circuit breaker open",
      /circuit[ _-]?breaker[^\n]{0,40}\bopen\b|breaker (?:tripped|opened)|\bOPEN\b[^\n]{0,20}fast-?fail/i,
    ),
    ...first(
      view,
      "self_healthy",
      0.75,
      "the service itself is healthy",
      /error rate excluding [^\n]{1,40}?\b0(?:\.0+)?%|only [^\n]{0,60}\b(?:is |are )?affected|all (?:internal|other) [\w ]{0,20}(?:upstreams?|routes|endpoints) (?:are )?(?:healthy|ok|fine)|ok_other|other endpoints? (?:deliver|work|fine|ok)|\bhealthz? ok\b/i,
    ),
    ...dependencyDown(view),
    // An upstream that rate-limits the service: its quota, not the service, is the limit.
    ...first(
      view,
      "dep_5xx",
      0.8,
      "an upstream API rate-limits the service (429 Too Many Requests): its quota is exhausted",
      /\b429\b[^\n]{0,40}Too Many Requests|Too Many Requests[^\n]{0,40}\b429\b|rate limit(?:ed| exceeded)[^\n]{0,60}(?:retry|429|quota)|RESOURCE_EXHAUSTED[^\n]{0,60}quota|ThrottlingException|RequestLimitExceeded|SlowDown: Please reduce your request rate|the server has received too many requests and has asked us to try again later/i,
    ),
    // A datastore that is full refuses writes: the callers are its victims.
    ...first(
      view,
      "dep_5xx",
      0.85,
      "a datastore is out of memory or space and refuses writes (Redis maxmemory reached, its eviction policy allows none)",
      /OOM command not allowed when used memory|maxmemory[^\n]{0,40}(?:reached|exceeded)|MISCONF Redis is configured to save RDB snapshots|ERROR 1114 \(HY000\): The table '[^']+' is full|FORBIDDEN\/12\/index read-only \/ allow delete|cluster_block_exception[^\n]{0,80}(?:read-only|flood[- ]stage)/i,
    ),
  ];
  out.push(...healthyDeps(view), ...idle(view));
  return out;
}

/** kubectl output showing another component down (node NotReady, datastore pod Pending/CrashLoop). */
function dependencyDown(view: LogView): Signal[] {
  const own = (view.input.containerName ?? view.input.context?.service ?? "").toLowerCase();
  const line = view.lines.find((l) => {
    const t = l.text;
    if (!/\b(?:NotReady|Pending|CrashLoopBackOff|Unknown|Terminating)\b/.test(t)) return false;
    if (
      !/^\s*[\w.-]+\s+(?:\d+\/\d+\s+)?(?:Pending|NotReady|Running|CrashLoopBackOff|Unknown)|^\s*[\w.-]+\.internal\s+NotReady|\bnode\b/i.test(
        t,
      )
    )
      return false;
    return own === "" || !t.toLowerCase().includes(own);
  });
  return line ? [signal("dep_unreachable", 0.6, `another component is down: ${quote(line.text, 90)}`)] : [];
}

/** Datastores and dependencies reported as fine: argues against a victim diagnosis. */
function healthyDeps(view: LogView): Signal[] {
  for (const l of view.lines) {
    if (
      /\b(?:db|database|postgres(?:ql)?|mysql|redis|mongo\w*|cache|datastores?|dependencies|upstreams?|downstream(?: services)?)\b[^\n]{0,30}?\b(?:ok|healthy|fine|normal|up)\b|\((?:healthy)\)|(?:postgres|redis|db|mysql)\s+p99[=:\s]+\d{1,2}ms/i.test(
        l.text,
      )
    ) {
      return [signal("deps_healthy", 0.7, `dependencies healthy: ${quote(l.text, 90)}`)];
    }
  }
  return [];
}

/** An app that errors while doing almost no work is waiting on something else. */
function idle(view: LogView): Signal[] {
  const cpu = view.input.context?.metrics?.cpu_percent;
  if (typeof cpu === "number" && cpu <= 25)
    return [signal("app_idle", cpu <= 15 ? 0.8 : 0.6, `the service is idle (cpu_percent ${pct(cpu)})`, "context")];
  const line = view.lines.find((l) => {
    const cpu = /\bcpu\b[^\n%]{0,12}?\b(\d{1,2}(?:\.\d+)?)\s*%/i.exec(l.text)?.[1];
    return cpu !== undefined && Number(cpu) <= 20;
  });
  return line ? [signal("app_idle", 0.6, `the service is idle: ${quote(line.text, 90)}`)] : [];
}
