import type { AccountStore } from "../store/account-store.js";
import type { Database } from "../store/database.js";
import type { UserContacts } from "./channel-notifier.js";

/** A project member's email, from accounts; a user outside the project has no contact here. */
export class MemberContacts implements UserContacts {
  constructor(
    private readonly database: Database,
    private readonly accounts: AccountStore,
  ) {}

  async emailOf(projectId: string, userId: string): Promise<string | null> {
    return (await this.accounts.member(this.database.db, projectId, userId))?.email ?? null;
  }
}
