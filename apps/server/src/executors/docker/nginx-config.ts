/** One upstream server of the balancer (a container's address on its network). */
export interface NginxUpstream {
  name: string;
  host: string;
  port: number;
}

/** A pass-through from the containers' network to one host address (e.g. their watchdogs' webhook). */
export interface NginxRelay {
  listenHost: string;
  listenPort: number;
  /** Exact path relayed, e.g. "/webhook"; everything else answers 404. */
  path: string;
  toHost: string;
  toPort: number;
}

export interface NginxConfigInput {
  /** Directory holding the pid file, logs and temp paths (the product's data dir). */
  dir: string;
  listenHost: string;
  listenPort: number;
  upstreams: NginxUpstream[];
  relay?: NginxRelay;
}

const SAFE_HOST = /^[A-Za-z0-9.:[\]-]+$/;
const SAFE_PATH = /^\/[A-Za-z0-9._~/-]*$/;

/** nginx.conf for the product's own nginx: one upstream `buggy_app`-style pool, one optional relay. */
export function renderNginxConfig(input: NginxConfigInput): string {
  if (input.upstreams.length === 0) throw new Error("nginx needs at least one upstream server");
  for (const u of input.upstreams) checkAddress(u.host, u.port, `upstream ${u.name}`);
  checkAddress(input.listenHost, input.listenPort, "listen address");
  const listen = (host: string, port: number) => `${host.includes(":") ? `[${host}]` : host}:${port}`;
  const lines = [
    "# Written by AegisOps on every scale; validated with `nginx -t` before it replaces the running one.",
    "daemon off;",
    "worker_processes 1;",
    `pid ${input.dir}/nginx.pid;`,
    `error_log ${input.dir}/error.log warn;`,
    "events { worker_connections 1024; }",
    "http {",
    "  access_log off;",
    `  client_body_temp_path ${input.dir}/client_body;`,
    `  proxy_temp_path ${input.dir}/proxy;`,
    `  fastcgi_temp_path ${input.dir}/fastcgi;`,
    `  uwsgi_temp_path ${input.dir}/uwsgi;`,
    `  scgi_temp_path ${input.dir}/scgi;`,
    "  upstream app_pool {",
    ...input.upstreams.map((u) => `    server ${listen(u.host, u.port)} max_fails=1 fail_timeout=2s; # ${u.name}`),
    "  }",
    "  server {",
    `    listen ${listen(input.listenHost, input.listenPort)};`,
    "    location / {",
    "      proxy_pass http://app_pool;",
    "      proxy_connect_timeout 2s;",
    "      proxy_next_upstream error timeout http_502 http_503;",
    "      proxy_set_header Host $host;",
    "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "    }",
    "  }",
  ];
  const relay = input.relay;
  if (relay) {
    checkAddress(relay.listenHost, relay.listenPort, "relay listen address");
    checkAddress(relay.toHost, relay.toPort, "relay target");
    if (!SAFE_PATH.test(relay.path)) throw new Error(`relay path "${relay.path}" is not a plain path`);
    lines.push(
      "  server {",
      `    listen ${listen(relay.listenHost, relay.listenPort)};`,
      `    location = ${relay.path} { proxy_pass http://${listen(relay.toHost, relay.toPort)}; }`,
      "    location / { return 404; }",
      "  }",
    );
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function checkAddress(host: string, port: number, what: string): void {
  if (!SAFE_HOST.test(host)) throw new Error(`${what}: "${host}" is not a plain host`);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${what}: port ${port} is out of range`);
}
