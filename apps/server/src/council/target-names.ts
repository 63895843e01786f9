import type { CouncilInput } from "../ports/council.js";

/** Names the target goes by: the container, the service it belongs to, and what the engine resolved. */
export function targetNames({ incident, facts }: CouncilInput): string[] {
  const names = [incident.containerName, incident.context?.service, facts.target]
    .filter((name): name is string => typeof name === "string")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  return [...new Set(names)];
}
