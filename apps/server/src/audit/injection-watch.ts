import type { CouncilDecision, CouncilVote } from "@aegis/contracts";
import type { Council, CouncilInput } from "../ports/council.js";
import type { EventBus } from "../ports/event-bus.js";
import type { SecurityEvents } from "../ports/security-events.js";
import type { InjectionDetector, InjectionSignal } from "../safety/detect-injection.js";

const MAX_PENDING = 1000;

/**
 * Reports prompt-injection attempts the council screens out as security events. The council sees no
 * project, so the signals found while it reviews an incident wait for that incident's `council.decision`
 * frame, which carries the project, and are emitted then with the verdict.
 */
export class InjectionWatch {
  private readonly pending = new Map<string, { signals: InjectionSignal[]; sources: string[] }>();

  constructor(
    private readonly detect: InjectionDetector,
    private readonly events: SecurityEvents,
  ) {}

  /** `council`, noting the injection signals in what the alert sender controlled. */
  wrap(council: Council): Council {
    return {
      review: async (input: CouncilInput, onVote: (vote: CouncilVote) => void): Promise<CouncilDecision> => {
        this.note(input);
        return council.review(input, onVote);
      },
    };
  }

  attach(bus: EventBus): () => void {
    return bus.subscribe((frame, projectId) => {
      if (frame.type !== "council.decision") return;
      const found = this.pending.get(frame.data.incident_id);
      if (!found) return;
      this.pending.delete(frame.data.incident_id);
      const verdict = frame.data.decision.final_verdict;
      this.events.emit({
        type: "prompt_injection",
        severity: verdict === "APPROVED" ? "critical" : "high",
        projectIds: [projectId],
        message: `prompt injection in the ${found.sources.join(" and ")} of incident ${frame.data.incident_id}; council verdict ${verdict}`,
        principal: null,
        details: {
          incident_id: frame.data.incident_id,
          verdict,
          signals: found.signals.slice(0, 5).map((s) => ({ kind: s.kind, excerpt: s.excerpt })),
        },
      });
    });
  }

  private note({ incident }: CouncilInput): void {
    const sources: string[] = [];
    const signals: InjectionSignal[] = [];
    for (const [source, text] of [
      ["logs", incident.logs],
      ["alert type", incident.alertType],
      ["context", incident.context ? JSON.stringify(incident.context) : ""],
    ] as const) {
      const found = text ? this.detect(text) : [];
      if (found.length > 0) {
        sources.push(source);
        signals.push(...found);
      }
    }
    if (signals.length === 0) return;
    if (this.pending.size >= MAX_PENDING) this.pending.clear();
    this.pending.set(incident.incidentId, { signals, sources });
  }
}
