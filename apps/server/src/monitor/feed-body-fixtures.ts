import { METRIC_FIELDS } from "@aegis/contracts";

/** Test fixtures of `POST /feed/data` bodies (the fast path's unit test and the route's inject test). */
export const good = (over: Record<string, unknown> = {}) => ({
  timestamp: "2026-03-02T08:00:00",
  server_name: "ppweb001",
  status: "healthy",
  cpu_user_pct: 22,
  cpu_sys_pct: 6,
  cpu_iowait_pct: 1.5,
  cpu_idle_pct: 70.5,
  java_cpu_pct: 12,
  mem_used_pct: 55,
  swap_used_pct: 0,
  disk_usage_pct: 100,
  net_in_mb_s: 10,
  net_out_mb_s: 0,
  back_close_wait: 3,
  front_close_wait: 0,
  load_average: 1.8,
  uptime_days: 365,
  ...over,
});

const without = (field: string) => {
  const r: Record<string, unknown> = good();
  delete r[field];
  return r;
};

/** Bodies the seed refuses (each a 422 from the schema), one defect each. */
export const BAD_FEED_BODIES: Record<string, unknown> = {
  "not an object": [good()],
  null: null,
  "no records": {},
  "records not an array": { records: good() },
  "records empty": { records: [] },
  "record null": { records: [good(), null] },
  "record an array": { records: [[1, 2]] },
  "record a string": { records: ["x"] },
  "bad timestamp": { records: [good({ timestamp: "2026-13-02T08:00:00" })] },
  "date-only timestamp": { records: [good({ timestamp: "2026-03-02" })] },
  "timestamp a number": { records: [good({ timestamp: 1_700_000_000 })] },
  "second record's timestamp": { records: [good(), good({ timestamp: "yesterday" })] },
  "empty name": { records: [good({ server_name: "" })] },
  "long name": { records: [good({ server_name: "x".repeat(201) })] },
  "name with /": { records: [good({ server_name: "a/b" })] },
  "name with a control character": { records: [good({ server_name: "a\u0007b" })] },
  "name a number": { records: [good({ server_name: 7 })] },
  "unknown status": { records: [good({ status: "on_fire" })] },
  "pct over 100": { records: [good({ cpu_user_pct: 100.5 })] },
  "pct negative": { records: [good({ disk_usage_pct: -1 })] },
  "pct a string": { records: [good({ mem_used_pct: "55" })] },
  "pct null": { records: [good({ swap_used_pct: null })] },
  "net negative": { records: [good({ net_out_mb_s: -0.1 })] },
  "load a boolean": { records: [good({ load_average: true })] },
  "count fractional": { records: [good({ back_close_wait: 1.5 })] },
  "count negative": { records: [good({ front_close_wait: -2 })] },
  "count unsafe": { records: [good({ back_close_wait: 2 ** 60 })] },
  "uptime 366": { records: [good({ uptime_days: 366 })] },
  "uptime fractional": { records: [good({ uptime_days: 1.5 })] },
  "missing status": { records: [without("status")] },
  "missing uptime": { records: [without("uptime_days")] },
  "last of many bad": { records: [...Array.from({ length: 300 }, () => good()), good({ java_cpu_pct: 101 })] },
  ...Object.fromEntries(METRIC_FIELDS.map((f) => [`missing ${f}`, { records: [without(f)] }])),
};
