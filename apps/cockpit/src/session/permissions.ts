import type { Role } from "@aegis/sdk";

/** What a person may do from the cockpit; the server enforces the same (a 403 is still shown if it refuses). */
export type Permission = "approve" | "change_state" | "scale" | "send_test_incident" | "write_runbook";

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

const MINIMUM: Record<Permission, Role> = {
  approve: "member",
  change_state: "member",
  scale: "member",
  send_test_incident: "member",
  write_runbook: "member",
};

/**
 * Whether `role` may do `what`. `null` is an API key, whose role the server does not tell a client: the
 * controls are shown and the server's answer decides.
 */
export function can(role: Role | null, what: Permission): boolean {
  if (role === null) return true;
  return RANK[role] >= RANK[MINIMUM[what]];
}
