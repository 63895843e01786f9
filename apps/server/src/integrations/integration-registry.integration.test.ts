import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { UnavailableError } from "../shared/errors.js";
import { DEFAULT_PROJECT_ID as P } from "../store/database.js";
import { IntegrationStore } from "../store/integration-store.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { IntegrationRegistry } from "./integration-registry.js";
import { SecretBox } from "./secret-box.js";

describe.each(testDatabaseKinds())("integrations registry on %s", (kind) => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());

  it("a secret sealed with a key no longer configured: listed as unreadable, refused for use (503), replaceable", async () => {
    t = await freshDatabase(kind);
    const lost = new IntegrationRegistry(t.database, new IntegrationStore(), new SecretBox(randomBytes(32)), 1000);
    await lost.create(P, {
      name: "slack",
      type: "slack",
      config: { webhook_url: "https://hooks.slack.com/services/T0/B0/secret1" },
    });

    const reg = new IntegrationRegistry(t.database, new IntegrationStore(), new SecretBox(randomBytes(32)), 1000);
    const [view] = await reg.list(P);
    expect(view?.config.webhook_url).toMatch(
      /^•••• \(unreadable: sealed with key [0-9a-f]{8}, which is not configured\)$/,
    );
    await expect(reg.test(P, "slack")).rejects.toBeInstanceOf(UnavailableError);
    // Paging skips it (other channels still carry pages) and its log says why.
    expect(await reg.openAll(P)).toEqual([]);
    const [skipped] = await reg.logs(P, "slack", { limit: 1 });
    expect(skipped).toMatchObject({
      level: "error",
      status: "skipped",
      message: expect.stringContaining("AEGIS_SECRETS_PREVIOUS_KEYS"),
    });

    // Without a new value the (required) secret is missing, and validation says so; with one, it is sealed anew.
    await expect(reg.configure(P, "slack", { config: { channel: "#ops" } })).rejects.toThrow(/webhook_url/);
    const fixed = await reg.configure(P, "slack", {
      config: { webhook_url: "https://hooks.slack.com/services/T0/B0/secret2" },
    });
    expect(fixed.config.webhook_url).toBe("••••ret2");
    expect((await reg.openOne(P, "slack"))?.config).toMatchObject({
      webhook_url: "https://hooks.slack.com/services/T0/B0/secret2",
    });
  });
});
