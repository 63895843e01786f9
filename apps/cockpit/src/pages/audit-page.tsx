import { Seed003Section } from "../components/seed003-section.js";

/** Seed 003 audit trail. */
export default function AuditPage() {
  return (
    <>
      <h1>Audit</h1>
      <Seed003Section title="Audit log" path="/api/v1/security/audit-logs?page=1" />
    </>
  );
}
