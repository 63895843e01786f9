import type { AegisClient } from "@aegis/sdk";

/** One distinct dry-run alert per id (its own service, so grouping opens an incident for each). */
export const dryRunAlert = (id: string, k: number) => ({
  incident_id: id,
  alert_type: "High error rate",
  logs: `ERROR: 5xx ratio 12% on svc-${k}; upstream timeouts to db-${k % 7}; p99 latency 4.2s`,
  container_name: `svc-${k}`,
  dry_run: true,
});

/** Posts every id's dry run to `/webhook` at once (an alert storm); returns the statuses, in id order. */
export async function postDryRunStorm(client: AegisClient, ids: string[]): Promise<number[]> {
  return Promise.all(ids.map(async (id, k) => (await client.request("POST", "/webhook", dryRunAlert(id, k))).status));
}
