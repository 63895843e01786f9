import { randomUUID } from "node:crypto";
import type { Identity, Role } from "../ports/identity.js";
import { NotFoundError } from "../shared/errors.js";
import type { AccountStore, ApiKeyRow } from "../store/account-store.js";
import type { Database } from "../store/database.js";
import { roleIn } from "./project-access.js";
import { assertRole } from "./require-role.js";
import { newSecret, secretHash } from "./secret-hash.js";

/** Every project key starts with this, so the authenticator tells a key from a JWT without a lookup. */
export const PROJECT_KEY_PREFIX = "aegis_pk_";

export type ApiKeyView = Omit<ApiKeyRow, "keyHash">;

const view = ({ keyHash: _hash, ...rest }: ApiKeyRow): ApiKeyView => rest;

/** Per-project API keys: admins create (shown once), list and revoke them; a key never outranks its creator. */
export class ApiKeyService {
  constructor(
    private readonly database: Database,
    private readonly store: AccountStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(who: Identity, projectId: string): Promise<ApiKeyView[]> {
    assertRole(await roleIn(this.database.db, this.store, who, projectId), "admin");
    return (await this.store.apiKeys(this.database.db, projectId)).map(view);
  }

  async create(
    who: Identity,
    projectId: string,
    input: { name: string; role: Role; expiresAt: Date | null },
  ): Promise<ApiKeyView & { key: string }> {
    const mine = await roleIn(this.database.db, this.store, who, projectId);
    assertRole(mine, "admin");
    assertRole(mine, input.role);
    const key = newSecret(PROJECT_KEY_PREFIX);
    const row = await this.store.insertApiKey(this.database.db, {
      id: randomUUID(),
      projectId,
      name: input.name,
      keyHash: secretHash(key),
      prefix: key.slice(0, PROJECT_KEY_PREFIX.length + 4),
      role: input.role,
      createdBy: who.principal.id,
      expiresAt: input.expiresAt,
    });
    return { ...view(row), key };
  }

  async revoke(who: Identity, projectId: string, keyId: string): Promise<void> {
    assertRole(await roleIn(this.database.db, this.store, who, projectId), "admin");
    if (!(await this.store.revokeApiKey(this.database.db, projectId, keyId, this.now()))) {
      throw new NotFoundError("api key not found");
    }
  }
}
