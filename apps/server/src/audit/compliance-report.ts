import { statSync } from "node:fs";
import type { ComplianceControl, ComplianceReport } from "@aegis/contracts";
import { appendOnlyEnforced } from "../store/audit-store.js";
import type { Database } from "../store/database.js";
import type { AuditLog } from "./audit-log.js";

/** What the composition root knows about the product's configuration, for the controls below. */
export interface ComplianceFacts {
  /** The password KDF in force (accounts/password-hasher.ts). */
  passwordKdf: { algorithm: "argon2id" | string; memoryKiB: number; timeCost: number; parallelism: number };
  /** Live API keys of a project: their expiry. */
  apiKeysOf(projectId: string): Promise<{ name: string; expiresAt: Date | null }[]>;
  /** Files holding secrets that must be readable by the server's user only (JWT secret, generated API key). */
  secretFiles: readonly string[];
  /** Whether connections to the API are encrypted, and how that is known. */
  tls: { enabled: boolean; evidence: string };
  loginThrottle: { perAccount: number; perIp: number; windowMs: number };
  accessLogRetentionDays: number;
}

type Control = ComplianceControl;

/** Computes, at request time, which security controls hold for a project. Nothing is asserted without a check. */
export class ComplianceReporter {
  constructor(
    private readonly database: Database,
    private readonly audit: Pick<AuditLog, "verify">,
    private readonly facts: ComplianceFacts,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async report(projectId: string): Promise<ComplianceReport> {
    const controls = await Promise.all([
      this.auditChain(projectId),
      this.appendOnly(),
      this.passwords(),
      this.apiKeyExpiry(projectId),
      this.secretsAtRest(),
      Promise.resolve(this.tls()),
      Promise.resolve(this.throttle()),
      Promise.resolve(this.accessLogging()),
      Promise.resolve<Control>({
        id: "mfa",
        title: "Multi-factor authentication",
        status: "not_available",
        evidence: "AegisOps does not offer MFA; put single sign-on with MFA in front of it if you need it.",
      }),
    ]);
    const n = (s: Control["status"]) => controls.filter((c) => c.status === s).length;
    return {
      generated_at: this.now().toISOString(),
      passed: n("pass"),
      failed: n("fail"),
      not_available: n("not_available") + n("not_configured"),
      controls,
    };
  }

  private async auditChain(projectId: string): Promise<Control> {
    const v = await this.audit.verify(projectId);
    return {
      id: "audit_chain_intact",
      title: "Audit log hash chain verifies",
      status: v.valid ? "pass" : "fail",
      evidence: v.valid
        ? `${v.rows_checked} entries verified up to head #${v.head_seq}`
        : `chain broken at entry #${v.first_broken?.seq} (${v.first_broken?.reason})`,
    };
  }

  private async appendOnly(): Promise<Control> {
    const on = await appendOnlyEnforced(this.database.db);
    return {
      id: "audit_append_only",
      title: "Audit log is append-only in the database",
      status: on ? "pass" : "fail",
      evidence: on
        ? "trigger audit_log_no_change refuses UPDATE and DELETE on audit_log"
        : "trigger audit_log_no_change is missing or disabled",
    };
  }

  private async passwords(): Promise<Control> {
    const k = this.facts.passwordKdf;
    // OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
    const ok = k.algorithm === "argon2id" && k.memoryKiB >= 19 * 1024 && k.timeCost >= 2;
    return {
      id: "password_hashing",
      title: "Passwords hashed with argon2id at OWASP's parameters or stronger",
      status: ok ? "pass" : "fail",
      evidence: `${k.algorithm}, m=${k.memoryKiB} KiB, t=${k.timeCost}, p=${k.parallelism}`,
    };
  }

  private async apiKeyExpiry(projectId: string): Promise<Control> {
    const keys = await this.facts.apiKeysOf(projectId);
    const open = keys.filter((k) => k.expiresAt === null);
    return {
      id: "api_key_expiry",
      title: "Every project API key expires",
      status: open.length === 0 ? "pass" : "fail",
      evidence:
        open.length === 0
          ? `${keys.length} live key(s), all with an expiry`
          : `${open.length} of ${keys.length} live key(s) never expire: ${open.map((k) => k.name).join(", ")}`,
    };
  }

  private async secretsAtRest(): Promise<Control> {
    const exposed: string[] = [];
    const present: string[] = [];
    for (const file of this.facts.secretFiles) {
      try {
        const mode = statSync(file).mode & 0o777;
        present.push(file);
        if ((mode & 0o077) !== 0) exposed.push(`${file} (mode ${mode.toString(8)})`);
      } catch {
        // Not written: the secret is configured through the environment instead.
      }
    }
    return {
      id: "secrets_at_rest",
      title: "Credentials stored hashed; secret files readable by the server's user only",
      status: exposed.length === 0 ? "pass" : "fail",
      evidence:
        exposed.length === 0
          ? `passwords argon2id, API keys and refresh tokens SHA-256 hashed; ${present.length} secret file(s) mode 0600`
          : `readable by others: ${exposed.join(", ")}`,
    };
  }

  private tls(): Control {
    return {
      id: "tls",
      title: "API traffic encrypted in transit",
      status: this.facts.tls.enabled ? "pass" : "not_configured",
      evidence: this.facts.tls.evidence,
    };
  }

  private throttle(): Control {
    const t = this.facts.loginThrottle;
    return {
      id: "login_throttle",
      title: "Password guessing throttled",
      status: t.perAccount > 0 && t.perIp > 0 ? "pass" : "fail",
      evidence: `${t.perAccount} failures per account, ${t.perIp} per address, per ${Math.round(t.windowMs / 60_000)} min`,
    };
  }

  private accessLogging(): Control {
    return {
      id: "access_logging",
      title: "Every API request logged",
      status: "pass",
      evidence: `access log on every response, kept ${this.facts.accessLogRetentionDays} days`,
    };
  }
}
