CREATE TABLE "agent_feedback" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"helpful" boolean NOT NULL,
	"accuracy" integer,
	"comment" text,
	"principal_kind" text NOT NULL,
	"principal_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_responses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"action" text NOT NULL,
	"responder" text NOT NULL,
	"resolution" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insight_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"report_type" text NOT NULL,
	"title" text NOT NULL,
	"html" text NOT NULL,
	"pdf_base64" text,
	"pdf_error" text,
	"period_from" timestamp with time zone NOT NULL,
	"period_to" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_costs" (
	"project_id" text NOT NULL,
	"service" text NOT NULL,
	"cost_per_minute" double precision NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_costs_project_id_service_pk" PRIMARY KEY("project_id","service")
);
--> statement-breakpoint
CREATE TABLE "service_slos" (
	"project_id" text NOT NULL,
	"service" text NOT NULL,
	"objective_pct" double precision NOT NULL,
	"window_days" integer NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_slos_project_id_service_pk" PRIMARY KEY("project_id","service")
);
--> statement-breakpoint
CREATE INDEX "agent_feedback_incident_idx" ON "agent_feedback" USING btree ("project_id","incident_id");--> statement-breakpoint
CREATE INDEX "agent_feedback_created_idx" ON "agent_feedback" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "incident_responses_incident_idx" ON "incident_responses" USING btree ("project_id","incident_id","action");--> statement-breakpoint
CREATE INDEX "insight_reports_created_idx" ON "insight_reports" USING btree ("project_id","created_at");