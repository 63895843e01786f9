import { keyValues } from "./key-values.js";
import type { LogView } from "./log-view.js";

export interface HttpMix {
  ok: number;
  client: number;
  server: number;
}

/** Response status counts from access logs ("GET /x HTTP/1.1" 502), JSON fields and summary counters. */
export function httpMix(view: LogView): HttpMix {
  const mix: HttpMix = { ok: 0, client: 0, server: 0 };
  const add = (status: number, n = 1) => {
    if (status >= 500 && status < 600) mix.server += n;
    else if (status >= 400) mix.client += n;
    else if (status >= 200 && status < 400) mix.ok += n;
  };
  for (const l of view.lines) {
    const access = /"(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) [^"]*HTTP\/[\d.]+" (\d{3})\b/.exec(l.text);
    if (access) {
      add(Number(access[1]));
      continue;
    }
    const status =
      /"status(?:_?code)?"\s*:\s*(\d{3})\b|\bstatus[=:](\d{3})\b/.exec(l.text) ??
      /\b(?:GET|POST|PUT|PATCH|DELETE) \/\S* (\d{3})\b/.exec(l.text);
    if (status) add(Number(status[1] ?? status[2]));
    for (const kv of keyValues(l.text)) {
      const m = /^(?:status_)?([2-5])xx$/i.exec(kv.key);
      if (m && kv.unit !== "%") add(Number(m[1]) * 100, kv.value);
      const exact = /^status_(\d{3})$/.exec(kv.key);
      if (exact) add(Number(exact[1]), kv.value);
    }
  }
  return mix;
}
