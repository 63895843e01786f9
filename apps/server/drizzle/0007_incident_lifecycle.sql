CREATE TABLE "incident_transitions" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"principal_kind" text NOT NULL,
	"principal_id" text NOT NULL,
	"note" text
);
--> statement-breakpoint
DROP INDEX "incidents_created_idx";--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "number" bigserial NOT NULL;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "lifecycle" text DEFAULT 'detected' NOT NULL;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "service" text;--> statement-breakpoint
CREATE INDEX "incident_transitions_incident_idx" ON "incident_transitions" USING btree ("project_id","incident_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_number_uq" ON "incidents" USING btree ("project_id","number");--> statement-breakpoint
CREATE INDEX "jobs_waiting_idx" ON "jobs" USING btree ("updated_at") WHERE state = 'waiting';--> statement-breakpoint
CREATE INDEX "incidents_created_idx" ON "incidents" USING btree ("project_id","created_at","id");