import type { ActionType } from "@aegis/contracts";
import { BuiltinAnalyst } from "../analysts/builtin/builtin-analyst.js";
import { BuiltinSecondOpinion } from "../analysts/builtin/builtin-second-opinion.js";
import type { IncidentCategory } from "../ports/analyst.js";
import type { IndependentReading, SecondOpinion } from "../ports/second-opinion.js";

/** Test double: a second opinion that always reads the same diagnosis, to test one policy rule at a time. */
export function fixedReading(
  category: IncidentCategory,
  action: ActionType,
  confidence: number,
  over: Partial<IndependentReading> = {},
): SecondOpinion {
  const reading: IndependentReading = {
    reader: "test-reader",
    category,
    action,
    supportedActions: action === "NOOP" ? [] : [action],
    confidence,
    rootCause: `test reading: ${category}`,
    evidence: ["first fact", "second fact", "third fact"],
    ...over,
  };
  return { read: async () => reading };
}

/** The production second opinion: the builtin analyst reading the evidence itself. */
export function builtinReader(): SecondOpinion {
  return new BuiltinSecondOpinion(new BuiltinAnalyst());
}
