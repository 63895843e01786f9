/** `GET /health` (public: no key needed). */
export interface Health {
  status: string;
  mode: string;
  version: string;
  ws_clients: number;
  database: string;
  executor: string;
  uptime_seconds: number;
  service: string;
  running: boolean;
  monitor: { servers_tracked: number; warmup_complete: boolean };
}
