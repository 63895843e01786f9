import { type LogView, quote } from "./log-view.js";
import { type Signal, signal } from "./signal.js";

/**
 * A process that hits an operating-system limit other than memory: open file descriptors (EMFILE) or
 * threads/processes (EAGAIN from pthread_create or fork). A leak of descriptors or threads, or a limit
 * set too low; the fix is the limit or the leak, not more replicas. Also its own worker pool full and
 * rejecting work (every thread busy, the queue full): a pool sized below the load or held by a slow call.
 */
export function processLimitSignals(view: LogView): Signal[] {
  const out: Signal[] = [];
  const fds = view.lines.find((l) =>
    /too many open files|\bEMFILE\b|Too many open files in system|\bENFILE\b/i.test(l.text),
  );
  if (fds)
    out.push(
      signal(
        "fd_exhausted",
        0.87,
        `the process ran out of file descriptors (too many open files): a descriptor leak or an open-files limit set too low: ${quote(fds.text, 100, /open files|EMFILE|ENFILE/i)}`,
      ),
    );
  const threads = view.lines.find((l) =>
    /unable to create (?:new )?native thread|pthread_create failed|fork: (?:retry: )?Resource temporarily unavailable|can't start new thread|cannot allocate (?:new )?thread|thread creation failed: Resource temporarily unavailable/i.test(
      l.text,
    ),
  );
  if (threads)
    out.push(
      signal(
        "threads_exhausted",
        0.87,
        `the process cannot create more threads or processes (its PID/thread limit is reached): ${quote(threads.text, 100, /thread|fork/i)}`,
      ),
    );
  const pool = view.lines.find((l) =>
    /RejectedExecutionException|rejected from (?:java\.util\.concurrent\.)?ThreadPoolExecutor|Thread pool is (?:exhausted|full)|thread ?pool (?:queue )?(?:is )?(?:full|exhausted|saturated)|(?:worker|executor) pool (?:is )?(?:exhausted|saturated|full)|EsRejectedExecutionException|all (?:\d+ )?(?:worker )?threads (?:are )?busy/i.test(
      l.text,
    ),
  );
  if (pool) {
    const sizes = /pool size = (\d+), active threads = (\d+)(?:, queued tasks = (\d+))?/i.exec(pool.text);
    const busy = sizes
      ? ` (${sizes[2]} of ${sizes[1]} threads busy${sizes[3] ? `, ${sizes[3]} tasks queued` : ""})`
      : "";
    out.push(
      signal(
        "pool_saturated",
        0.85,
        `the service's worker thread pool is saturated${busy} and rejects new work: a pool sized below the load, or threads held by a slow call: ${quote(pool.text, 100, /reject|pool|busy/i)}`,
      ),
    );
  }
  return out;
}
