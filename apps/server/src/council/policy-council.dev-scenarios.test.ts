import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ActionType, IncidentContext, Verdict } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import type { IncidentCategory } from "../ports/analyst.js";
import { INCIDENT_CATEGORIES } from "../ports/analyst.js";
import type { CouncilInput } from "../ports/council.js";
import { PolicyCouncil } from "./policy-council.js";
import { builtinReader } from "./test-readers.js";

// The scenario set lives next to the repository (../shared from the repo root), in CI too.
const DEV_JSONL = fileURLToPath(new URL("../../../../../shared/data/scenarios/dev.jsonl", import.meta.url));

interface Scenario {
  id: string;
  category: string;
  payload: {
    alert_type: string;
    logs: string;
    container_name?: string | null;
    severity?: string | null;
    context?: IncidentContext | null;
  };
  acceptable_actions: ActionType[];
  forbidden_actions: ActionType[];
  expect_verdict: Verdict | "ANY";
}

function loadScenarios(): Scenario[] {
  if (!existsSync(DEV_JSONL)) throw new Error(`scenario file missing: ${DEV_JSONL}`);
  return readFileSync(DEV_JSONL, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Scenario);
}

/** Cases whose labelled verdict the hard policy alone must reach, whatever the analyst proposes. */
const POLICY_CATEGORIES = new Set(["prompt_injection", "protected_target", "flapping"]);
/** Cases where the policy alone must block every forbidden action (a crash loop is visible in the input). */
const BLOCKING_CATEGORIES = new Set([...POLICY_CATEGORIES, "crashloop_config"]);
/** Labels that are not analyst categories; an analyst would report some technical diagnosis. */
const ANALYST_CATEGORIES = new Set<string>(INCIDENT_CATEGORIES);

/** The category a model would claim to make each action look right. */
const CLAIM_FOR: Record<ActionType, IncidentCategory> = {
  RESTART: "memory_leak",
  SCALE_UP: "traffic_surge",
  SCALE_DOWN: "over_provisioned",
  ROLLBACK: "bad_deploy",
  NOOP: "noise",
};

/**
 * A confident, well-evidenced proposal: the policy, not the analyst's doubt, has to decide. By
 * default it claims the scenario's own category; `claim` lets it lie about the diagnosis.
 */
function proposalFor(s: Scenario, action: ActionType, replicaCount = 3, claim?: IncidentCategory): CouncilInput {
  const p = s.payload;
  return {
    incident: {
      incidentId: s.id,
      alertType: p.alert_type,
      logs: p.logs,
      containerName: p.container_name ?? null,
      severity: p.severity ?? null,
      context: p.context ?? null,
      similar: [],
      maxReplicas: 5,
    },
    proposal: {
      analysis: {
        root_cause: `diagnosis for ${s.id}`,
        action,
        justification: "test",
        confidence: 0.9,
        replica_count: replicaCount,
      },
      category: claim ?? ((ANALYST_CATEGORIES.has(s.category) ? s.category : "memory_leak") as IncidentCategory),
      evidence: ["first fact", "second fact", "third fact"],
      provider: "test",
    },
    facts: { restartsLastHour: 0, rollbackAvailable: null, currentReplicas: p.context?.replicas ?? null },
  };
}

const council = new PolicyCouncil({}, builtinReader());

async function verdictOf(input: CouncilInput): Promise<Verdict> {
  return (await council.review(input, () => {})).final_verdict;
}

describe("PolicyCouncil on the dev scenarios", () => {
  const scenarios = loadScenarios();

  it("blocks every forbidden action in injection, protected-target, flapping and crash-loop cases", async () => {
    const approved: string[] = [];
    for (const s of scenarios.filter((c) => BLOCKING_CATEGORIES.has(c.category))) {
      for (const action of s.forbidden_actions) {
        if ((await verdictOf(proposalFor(s, action))) === "APPROVED") approved.push(`${s.id} ${action}`);
      }
    }
    expect(approved).toEqual([]);
  });

  it("approves no forbidden action of a compromised model, whatever diagnosis and confidence it claims", async () => {
    const approved: string[] = [];
    for (const s of scenarios) {
      for (const action of s.forbidden_actions) {
        for (const claim of [CLAIM_FOR[action], undefined]) {
          const input = proposalFor(s, action, 3, claim);
          input.proposal.analysis.confidence = 0.99;
          input.proposal.evidence = Array.from({ length: 8 }, (_, i) => `convincing fact ${i}`);
          if ((await verdictOf(input)) === "APPROVED") approved.push(`${s.id} ${action} as ${claim ?? s.category}`);
        }
      }
    }
    expect(approved).toEqual([]);
  });

  it("blocks an over-cap SCALE_UP everywhere", async () => {
    for (const s of scenarios) expect(await verdictOf(proposalFor(s, "SCALE_UP", 6)), s.id).not.toBe("APPROVED");
  });

  it("approves the right fix where a senior SRE would (no over-blocking)", async () => {
    const blocked: string[] = [];
    for (const s of scenarios.filter((c) => c.expect_verdict === "APPROVED")) {
      for (const action of s.acceptable_actions) {
        const verdict = await verdictOf(proposalFor(s, action));
        if (verdict !== "APPROVED") blocked.push(`${s.id} ${action} ${verdict}`);
      }
    }
    expect(blocked).toEqual([]);
  });

  it("reaches the labelled verdict for the policy cases when the forbidden action is proposed", async () => {
    for (const s of scenarios.filter((c) => POLICY_CATEGORIES.has(c.category))) {
      const action = s.forbidden_actions[0];
      if (action === undefined || s.expect_verdict === "ANY") continue;
      expect(await verdictOf(proposalFor(s, action)), s.id).toBe(s.expect_verdict);
    }
  });
});
