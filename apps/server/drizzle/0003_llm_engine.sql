CREATE TABLE "citations" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"source" text NOT NULL,
	"reference" text NOT NULL,
	"excerpt" text NOT NULL,
	"observed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hypotheses" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"rank" integer NOT NULL,
	"claim" text NOT NULL,
	"description" text NOT NULL,
	"confidence_score" double precision NOT NULL,
	"confidence_lower" double precision NOT NULL,
	"confidence_upper" double precision NOT NULL,
	"supporting_evidence" jsonb NOT NULL,
	"contradicting_evidence" jsonb NOT NULL,
	"provider" text NOT NULL,
	"user_feedback" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "llm_calls" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"incident_id" text,
	"request_type" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"latency_ms" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"cache_hit" boolean DEFAULT false NOT NULL,
	"ok" boolean DEFAULT true NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "citations_incident_idx" ON "citations" USING btree ("project_id","incident_id","seq");--> statement-breakpoint
CREATE INDEX "hypotheses_incident_idx" ON "hypotheses" USING btree ("project_id","incident_id","rank");--> statement-breakpoint
CREATE INDEX "llm_calls_created_idx" ON "llm_calls" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "llm_calls_incident_idx" ON "llm_calls" USING btree ("project_id","incident_id");