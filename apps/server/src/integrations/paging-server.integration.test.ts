import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.js";
import { startAegis } from "../server/aegis-server.js";
import { createLogger } from "../shared/logger.js";
import { integrations } from "../store/schema-integrations.js";
import { prepareEnv, TEST_KEY } from "../testing/test-server.js";
import { SecretBox } from "./secret-box.js";
import { startVendor } from "./test-vendor-receiver.js";

/** The wired server: the sealing key in the data dir (0600), Jira from the environment in the registry, key rotation across a restart. */
describe("integrations in the running server", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  it("generates the sealing key once, registers env Jira, and re-seals under a new key after a restart", async () => {
    const jira = await startVendor((r) =>
      r.url === "/rest/api/3/myself"
        ? { status: 200, json: { accountId: "5b10a", displayName: "Aegis Bot" } }
        : { status: 404, text: "" },
    );
    closers.push(jira.close);
    const te = await prepareEnv({
      JIRA_BASE_URL: jira.url,
      JIRA_EMAIL: "bot@acme.test",
      JIRA_API_TOKEN: "jira-api-token-0123456789",
      JIRA_PROJECT_KEY: "OPS",
    });
    closers.push(async () => rmSync(te.dataDir, { recursive: true, force: true }));
    const headers = { "x-api-key": TEST_KEY };

    const first = await startAegis(loadConfig(te.env), { logger: createLogger("silent"), drainMs: 2000 });
    let running: { stop: () => Promise<void> } | null = first;
    closers.push(async () => running?.stop());
    const keyFile = join(te.dataDir, "secrets-key");
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const oldKey = readFileSync(keyFile, "utf8").trim();

    const list = await (await fetch(`${first.url}/api/v1/integrations`, { headers })).json();
    const registered = list.data.integrations.find((i: { name: string }) => i.name === "jira");
    expect(registered).toMatchObject({
      type: "jira",
      config: { base_url: jira.url, project_key: "OPS", api_token: "••••6789" },
    });
    const test = await (await fetch(`${first.url}/api/v1/integrations/jira/test`, { method: "POST", headers })).json();
    expect(test.data).toMatchObject({ success: true, detail: "signed in as Aegis Bot" });
    expect(jira.received[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("bot@acme.test:jira-api-token-0123456789").toString("base64")}`,
    );
    await first.stop();
    running = null;

    // The operator sets a new key and keeps the old one as previous: stored secrets still open, and rotation re-seals.
    const newKey = randomBytes(32).toString("base64");
    const second = await startAegis(
      loadConfig({ ...te.env, AEGIS_SECRETS_KEY: newKey, AEGIS_SECRETS_PREVIOUS_KEYS: oldKey }),
      { logger: createLogger("silent"), drainMs: 2000 },
    );
    running = second;
    const rotated = await (
      await fetch(`${second.url}/api/v1/security/rotate-api-key?service=jira`, {
        method: "POST",
        headers: { "x-api-key": TEST_KEY },
      })
    ).json();
    expect(rotated).toMatchObject({
      success: true,
      data: { service: "jira", rotated: [], re_encrypted: ["api_token"] },
    });
    // Re-sealed under the new key: the old one is no longer needed.
    const [row] = await second.database.db.select().from(integrations).where(eq(integrations.name, "jira"));
    expect(SecretBox.keyIdOf(row?.secrets.api_token ?? "")).toBe(new SecretBox(Buffer.from(newKey, "base64")).keyId);
    expect(
      new SecretBox(Buffer.from(newKey, "base64")).open(
        row?.secrets.api_token ?? "",
        `integration:default:${row?.id}:api_token`,
      ),
    ).toBe("jira-api-token-0123456789");
  }, 90_000);
});
