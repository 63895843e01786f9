ALTER TABLE "incidents" ADD COLUMN "acknowledged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "first_resolved_at" timestamp with time zone;--> statement-breakpoint
CREATE FUNCTION "incident_response_times"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "incidents" i SET
    "acknowledged_at" = least(i."acknowledged_at", m.ack),
    "first_resolved_at" = least(i."first_resolved_at", m.res)
  FROM (SELECT "project_id", "incident_id",
          min("at") FILTER (WHERE "from_state" = 'detected') AS ack,
          min("at") FILTER (WHERE "to_state" = 'resolved') AS res
        FROM moved WHERE "from_state" = 'detected' OR "to_state" = 'resolved'
        GROUP BY "project_id", "incident_id") m
  WHERE i."project_id" = m."project_id" AND i."id" = m."incident_id";
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "incident_transitions_response_times" AFTER INSERT ON "incident_transitions"
  REFERENCING NEW TABLE AS moved FOR EACH STATEMENT EXECUTE FUNCTION "incident_response_times"();--> statement-breakpoint
UPDATE "incidents" i SET "acknowledged_at" = m.ack, "first_resolved_at" = m.res
  FROM (SELECT "project_id", "incident_id",
          min("at") FILTER (WHERE "from_state" = 'detected') AS ack,
          min("at") FILTER (WHERE "to_state" = 'resolved') AS res
        FROM "incident_transitions" WHERE "from_state" = 'detected' OR "to_state" = 'resolved'
        GROUP BY "project_id", "incident_id") m
  WHERE i."project_id" = m."project_id" AND i."id" = m."incident_id";
