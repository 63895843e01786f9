import { Seed003Section } from "../components/seed003-section.js";

/** Seed 003 on-call: schedules (who is on call now) and escalation policies. */
export default function OnCallPage() {
  return (
    <>
      <h1>On-call</h1>
      <Seed003Section title="On-call schedules" path="/api/v1/settings/oncall-schedules" />
      <Seed003Section title="Escalation policies" path="/api/v1/settings/escalation-policies" />
    </>
  );
}
