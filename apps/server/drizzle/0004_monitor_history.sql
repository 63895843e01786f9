CREATE TABLE "monitor_alert_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"server_name" text NOT NULL,
	"profile" text NOT NULL,
	"event_type" text NOT NULL,
	"previous_level" text NOT NULL,
	"new_level" text NOT NULL,
	"risk_score" double precision NOT NULL,
	"message" text,
	"resolved_at" timestamp with time zone,
	"resolution_duration_minutes" double precision
);
--> statement-breakpoint
CREATE TABLE "monitor_fleet_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"total_servers" integer NOT NULL,
	"critical_count" integer NOT NULL,
	"warning_count" integer NOT NULL,
	"degraded_count" integer NOT NULL,
	"healthy_count" integer NOT NULL,
	"fleet_health" double precision NOT NULL,
	"prob_30m" double precision NOT NULL,
	"prob_8h" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitor_models" (
	"project_id" text NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"created" timestamp with time zone NOT NULL,
	"size_bytes" integer NOT NULL,
	"path" text NOT NULL,
	"params" jsonb NOT NULL,
	"is_current" boolean DEFAULT false NOT NULL,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "monitor_models_project_id_name_pk" PRIMARY KEY("project_id","name")
);
--> statement-breakpoint
CREATE TABLE "monitor_samples" (
	"project_id" text NOT NULL,
	"server_name" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"cpu_user_pct" real NOT NULL,
	"cpu_sys_pct" real NOT NULL,
	"cpu_iowait_pct" real NOT NULL,
	"cpu_idle_pct" real NOT NULL,
	"java_cpu_pct" real NOT NULL,
	"mem_used_pct" real NOT NULL,
	"swap_used_pct" real NOT NULL,
	"disk_usage_pct" real NOT NULL,
	"net_in_mb_s" real NOT NULL,
	"net_out_mb_s" real NOT NULL,
	"back_close_wait" integer NOT NULL,
	"front_close_wait" integer NOT NULL,
	"load_average" real NOT NULL,
	"uptime_days" integer NOT NULL,
	CONSTRAINT "monitor_samples_project_id_server_name_ts_pk" PRIMARY KEY("project_id","server_name","ts")
);
--> statement-breakpoint
CREATE TABLE "monitor_trainings" (
	"project_id" text NOT NULL,
	"training_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"epochs" integer NOT NULL,
	"incremental" boolean NOT NULL,
	"epoch" integer DEFAULT 0 NOT NULL,
	"loss" double precision,
	"samples" integer DEFAULT 0 NOT NULL,
	"error" text,
	"model_name" text,
	CONSTRAINT "monitor_trainings_project_id_training_id_pk" PRIMARY KEY("project_id","training_id")
);
--> statement-breakpoint
CREATE INDEX "monitor_alert_events_ts_idx" ON "monitor_alert_events" USING btree ("project_id","ts");--> statement-breakpoint
CREATE INDEX "monitor_alert_events_server_idx" ON "monitor_alert_events" USING btree ("project_id","server_name","ts");--> statement-breakpoint
CREATE INDEX "monitor_fleet_snapshots_ts_idx" ON "monitor_fleet_snapshots" USING btree ("project_id","ts");--> statement-breakpoint
CREATE UNIQUE INDEX "monitor_models_current_uq" ON "monitor_models" USING btree ("project_id") WHERE is_current;--> statement-breakpoint
CREATE INDEX "monitor_samples_ts_idx" ON "monitor_samples" USING btree ("project_id","ts","server_name");--> statement-breakpoint
CREATE UNIQUE INDEX "monitor_trainings_running_uq" ON "monitor_trainings" USING btree ("project_id") WHERE status = 'running';