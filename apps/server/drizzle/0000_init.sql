CREATE TABLE "actions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"params" jsonb,
	"state" text NOT NULL,
	"result" jsonb,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "council_votes" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"role" text NOT NULL,
	"verdict" text NOT NULL,
	"reasoning" text NOT NULL,
	"ts" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"project_id" text NOT NULL,
	"id" text NOT NULL,
	"alert_type" text NOT NULL,
	"logs" text NOT NULL,
	"container_name" text,
	"severity" text,
	"alert_timestamp" text,
	"context" jsonb,
	"dry_run" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"analysis" jsonb,
	"category" text,
	"evidence" jsonb,
	"provider" text,
	"council_decision" jsonb,
	"resolved_at" timestamp with time zone,
	"error" text,
	"replicas_spawned" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "knowledge_entries" (
	"project_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"alert_type" text NOT NULL,
	"logs" text NOT NULL,
	"container_name" text,
	"severity" text,
	"root_cause" text NOT NULL,
	"action" text NOT NULL,
	"justification" text NOT NULL,
	"confidence" double precision NOT NULL,
	"council_approved" boolean NOT NULL,
	"replicas_used" integer DEFAULT 0 NOT NULL,
	"resolved_at" timestamp with time zone,
	"outcome" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_entries_project_id_incident_id_pk" PRIMARY KEY("project_id","incident_id")
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "timeline_entries" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"message" text NOT NULL,
	"agent" text
);
--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "actions_key_uq" ON "actions" USING btree ("project_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "actions_target_idx" ON "actions" USING btree ("project_id","target","started_at");--> statement-breakpoint
CREATE INDEX "votes_incident_idx" ON "council_votes" USING btree ("project_id","incident_id");--> statement-breakpoint
CREATE INDEX "incidents_created_idx" ON "incidents" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_incident_uq" ON "jobs" USING btree ("project_id","incident_id");--> statement-breakpoint
CREATE INDEX "jobs_claim_idx" ON "jobs" USING btree ("state","run_after") WHERE state in ('queued','running');--> statement-breakpoint
CREATE INDEX "timeline_incident_idx" ON "timeline_entries" USING btree ("project_id","incident_id","seq");