import { expect, it } from "vitest";
import { renderNginxConfig } from "./nginx-config.js";

const base = { dir: "/data/nginx", listenHost: "127.0.0.1", listenPort: 8080 };

it("lists every upstream in the pool and the relay's one path", () => {
  const text = renderNginxConfig({
    ...base,
    upstreams: [
      { name: "buggy-app-v2", host: "172.18.0.2", port: 8000 },
      { name: "buggy-app-v2-replica-1", host: "172.18.0.3", port: 8000 },
    ],
    relay: { listenHost: "172.18.0.1", listenPort: 40000, path: "/webhook", toHost: "127.0.0.1", toPort: 8001 },
  });
  expect(text).toContain("server 172.18.0.2:8000 max_fails=1 fail_timeout=2s; # buggy-app-v2\n");
  expect(text).toContain("server 172.18.0.3:8000 max_fails=1 fail_timeout=2s; # buggy-app-v2-replica-1\n");
  expect(text).toContain("listen 127.0.0.1:8080;");
  expect(text).toContain("location = /webhook { proxy_pass http://127.0.0.1:8001; }");
  expect(text).toContain("pid /data/nginx/nginx.pid;");
});

it("refuses what would inject configuration or cannot serve", () => {
  expect(() => renderNginxConfig({ ...base, upstreams: [] })).toThrow(/at least one upstream/);
  expect(() =>
    renderNginxConfig({ ...base, upstreams: [{ name: "x", host: "1.2.3.4; include /etc", port: 80 }] }),
  ).toThrow(/not a plain host/);
  expect(() => renderNginxConfig({ ...base, upstreams: [{ name: "x", host: "1.2.3.4", port: 0 }] })).toThrow(
    /out of range/,
  );
});
