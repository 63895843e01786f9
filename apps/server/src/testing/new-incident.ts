import { DEFAULT_PROJECT_ID } from "../store/database.js";
import type { NewIncident } from "../store/incident-store.js";

/** A webhook incident for store tests: the default project, a CPU alert, dry run; `over` changes any field. */
export function newIncident(id: string, over: Partial<NewIncident> = {}): NewIncident {
  return {
    projectId: DEFAULT_PROJECT_ID,
    id,
    alertType: "High CPU",
    logs: "cpu 99%",
    containerName: "svc",
    severity: "CRITICAL",
    alertTimestamp: null,
    context: null,
    dryRun: true,
    ...over,
  };
}
