import type { CouncilDecision } from "@aegis/contracts";
import type { AnalysisInput, AnalystResult } from "./analyst.js";

/** Facts about the world the council's hard policy needs, gathered by the engine. */
export interface CouncilFacts {
  /** Restarts of this target performed by AegisOps within the last hour. */
  restartsLastHour: number;
  /** Whether the executor declares a previous version to roll back to (null when unknown). */
  rollbackAvailable: boolean | null;
  /** Current replica count of the target when known. */
  currentReplicas: number | null;
  /**
   * The target the executor would act on, when the engine resolved one (e.g. its default target for
   * an alert without container_name), so the council checks the name that will actually be touched.
   */
  target?: string | null;
}

export interface CouncilInput {
  incident: AnalysisInput;
  proposal: AnalystResult;
  facts: CouncilFacts;
}

/** Port: reviews a proposal; votes are reported one by one as they are cast. */
export interface Council {
  review(input: CouncilInput, onVote: (vote: CouncilDecision["votes"][number]) => void): Promise<CouncilDecision>;
}
