CREATE TABLE "alert_followers" (
	"project_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"leader_id" text NOT NULL,
	"attached_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alert_followers_project_id_incident_id_pk" PRIMARY KEY("project_id","incident_id")
);
--> statement-breakpoint
CREATE TABLE "alert_groups" (
	"project_id" text NOT NULL,
	"leader_id" text NOT NULL,
	"fingerprint" text NOT NULL,
	"alert_count" integer DEFAULT 1 NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "alert_groups_project_id_leader_id_pk" PRIMARY KEY("project_id","leader_id")
);
--> statement-breakpoint
CREATE TABLE "alert_sources" (
	"project_id" text NOT NULL,
	"source" text NOT NULL,
	"token_hash" text,
	"token_prefix" text,
	"signing_secret" text,
	"received" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"last_received_at" timestamp with time zone,
	"last_error" text,
	"last_event_type" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alert_sources_project_id_source_pk" PRIMARY KEY("project_id","source")
);
--> statement-breakpoint
CREATE TABLE "received_alerts" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"id" text NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"alertname" text NOT NULL,
	"severity" text,
	"service" text,
	"description" text,
	"labels" jsonb NOT NULL,
	"annotations" jsonb NOT NULL,
	"fingerprint" text NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"received_at" timestamp with time zone NOT NULL,
	"incident_id" text,
	"grouped_into" text,
	"suppressed_by" text,
	"generator_url" text
);
--> statement-breakpoint
CREATE TABLE "silences" (
	"project_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text,
	"matchers" jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"suppressed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "silences_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
CREATE INDEX "alert_followers_leader_idx" ON "alert_followers" USING btree ("project_id","leader_id");--> statement-breakpoint
CREATE INDEX "alert_groups_open_idx" ON "alert_groups" USING btree ("project_id","fingerprint") WHERE closed_at is null;--> statement-breakpoint
CREATE INDEX "alert_sources_token_idx" ON "alert_sources" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "received_alerts_project_idx" ON "received_alerts" USING btree ("project_id","received_at","seq");--> statement-breakpoint
CREATE INDEX "silences_window_idx" ON "silences" USING btree ("project_id","ends_at");