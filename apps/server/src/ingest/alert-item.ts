import type { NewIncident } from "../store/incident-store.js";

/** One alert as received, for the alert list (seed 002) and silence matching. */
export interface AlertRecord {
  id: string;
  source: string;
  status: "firing" | "resolved";
  alertname: string;
  severity: string | null;
  service: string | null;
  description: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  fingerprint: string;
  startsAt: string | null;
  endsAt: string | null;
  generatorUrl: string | null;
}

/**
 * An incident candidate as journaled: the incident plus its grouping fingerprint and the alerts it
 * carries. Journaled as one JSON line, so the grouping decision made when loading it is replayable.
 */
export interface AlertIncident extends NewIncident {
  fingerprint?: string;
  /** The source's alerts behind this incident; a seed-000 webhook carries none (one is derived). */
  alerts?: AlertRecord[];
}
