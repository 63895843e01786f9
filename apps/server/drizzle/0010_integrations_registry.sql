CREATE TABLE "integration_events" (
	"project_id" text NOT NULL,
	"id" text NOT NULL,
	"integration_id" text NOT NULL,
	"event" text NOT NULL,
	"level" text NOT NULL,
	"status" text NOT NULL,
	"message" text NOT NULL,
	"latency_ms" real,
	"attempts" integer DEFAULT 0 NOT NULL,
	"incident_id" text,
	"detail" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "integration_events_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"project_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"config" jsonb NOT NULL,
	"secrets" jsonb NOT NULL,
	"last_test_ok" boolean,
	"last_test_latency_ms" real,
	"last_test_error" text,
	"last_test_at" timestamp with time zone,
	"secrets_rotated_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "integrations_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
CREATE INDEX "integration_events_integration_idx" ON "integration_events" USING btree ("project_id","integration_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "integrations_name_uq" ON "integrations" USING btree ("project_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "integrations_id_uq" ON "integrations" USING btree ("id");