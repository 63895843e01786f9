import type { Analyst } from "../ports/analyst.js";
import type { Council } from "../ports/council.js";
import type { Executor } from "../ports/executor.js";
import type { KnowledgeBase } from "../ports/knowledge-base.js";
import type { RuntimeEvidenceSource } from "../ports/runtime-evidence.js";
import type { Logger } from "../shared/logger.js";
import type { ActionLog } from "../store/action-log.js";
import type { Database } from "../store/database.js";
import type { IncidentStore } from "../store/incident-store.js";
import type { JobQueue } from "../store/job-queue.js";
import type { AutomationModes } from "./automation-mode.js";
import type { IncidentRecorder } from "./recorder.js";

/** What the remediation loop works with: the store, the ports and the recorder. */
export interface PipelineDeps {
  database: Database;
  incidents: IncidentStore;
  actions: ActionLog;
  jobs: JobQueue;
  knowledge: KnowledgeBase;
  analyst: Analyst;
  council: Council;
  executor: Executor;
  recorder: IncidentRecorder;
  logger: Logger;
  /** The project's automation mode (auto / approve / suggest); absent, every approved action runs. */
  automation?: AutomationModes | undefined;
  /** What the runtime shows about the target, read before analysis and review (none: the alert alone). */
  runtimeEvidence?: RuntimeEvidenceSource | null;
}
