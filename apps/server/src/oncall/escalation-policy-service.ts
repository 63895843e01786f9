import { randomUUID } from "node:crypto";
import type { EscalationPolicy, EscalationPolicyInput, EscalationTrigger } from "@aegis/contracts";
import { ConflictError, InputError, NotFoundError } from "../shared/errors.js";
import type { Database, Db } from "../store/database.js";
import type { OnCallStore, PolicyRow } from "../store/oncall-store.js";

/** Escalation policies of a project: one default (no service) and at most one per service. */
export class EscalationPolicyService {
  constructor(
    private readonly database: Database,
    private readonly store: OnCallStore,
  ) {}

  async list(projectId: string): Promise<EscalationPolicy[]> {
    return (await this.store.listPolicies(this.database.db, projectId)).map(policyOf);
  }

  async get(projectId: string, id: string): Promise<EscalationPolicy> {
    const row = await this.store.getPolicy(this.database.db, projectId, id);
    if (!row) throw new NotFoundError(`escalation policy ${id} not found`);
    return policyOf(row);
  }

  async create(projectId: string, input: EscalationPolicyInput): Promise<EscalationPolicy> {
    return this.database.db.transaction(async (tx) => {
      await this.checkTargets(tx, projectId, input);
      await this.checkServiceFree(tx, projectId, input.service, null);
      return policyOf(await this.store.insertPolicy(tx, { projectId, id: randomUUID(), ...columnsOf(input) }));
    });
  }

  async replace(projectId: string, id: string, input: EscalationPolicyInput): Promise<EscalationPolicy> {
    return this.database.db.transaction(async (tx) => {
      await this.checkTargets(tx, projectId, input);
      await this.checkServiceFree(tx, projectId, input.service, id);
      const row = await this.store.updatePolicy(tx, projectId, id, columnsOf(input));
      if (!row) throw new NotFoundError(`escalation policy ${id} not found`);
      return policyOf(row);
    });
  }

  async delete(projectId: string, id: string): Promise<void> {
    if (!(await this.store.deletePolicy(this.database.db, projectId, id))) {
      throw new NotFoundError(`escalation policy ${id} not found`);
    }
  }

  /** A schedule target must name a schedule of the project. */
  private async checkTargets(tx: Db, projectId: string, input: EscalationPolicyInput): Promise<void> {
    for (const [li, level] of input.levels.entries()) {
      for (const [ti, target] of level.targets.entries()) {
        if (target.type !== "schedule") continue;
        if (await this.store.getSchedule(tx, projectId, target.id)) continue;
        const loc = ["body", "levels", li, "targets", ti, "id"];
        throw new InputError(`levels.${li}.targets.${ti}.id: no schedule ${target.id} in this project`, "bad_request", {
          issues: [{ loc, msg: `no schedule ${target.id} in this project`, type: "not_found" }],
        });
      }
    }
  }

  private async checkServiceFree(tx: Db, projectId: string, service: string | null, self: string | null) {
    const holder = await this.store.policyOfService(tx, projectId, service);
    if (holder && holder.id !== self) {
      const what = service === null ? "the project's default policy" : `the policy of service ${service}`;
      throw new ConflictError(`${what} already exists: ${holder.name} (${holder.id})`, {
        field: "service",
        policy_id: holder.id,
      });
    }
  }
}

function columnsOf(input: EscalationPolicyInput) {
  return {
    name: input.name,
    description: input.description ?? null,
    service: input.service,
    trigger: input.trigger,
    repeat: input.repeat,
    levels: input.levels,
  };
}

export function policyOf(row: PolicyRow): EscalationPolicy {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    service: row.service,
    trigger: row.trigger as EscalationTrigger,
    repeat: row.repeat,
    levels: row.levels,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
