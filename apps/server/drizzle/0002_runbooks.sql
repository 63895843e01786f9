CREATE TABLE "knowledge_embeddings" (
	"project_id" text NOT NULL,
	"source" text NOT NULL,
	"doc_id" text NOT NULL,
	"model" text NOT NULL,
	"content_hash" text NOT NULL,
	"vector" real[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_embeddings_project_id_source_doc_id_model_pk" PRIMARY KEY("project_id","source","doc_id","model")
);
--> statement-breakpoint
CREATE TABLE "runbooks" (
	"project_id" text NOT NULL,
	"id" text NOT NULL,
	"title" text NOT NULL,
	"service" text NOT NULL,
	"body" text NOT NULL,
	"url" text,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "runbooks_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
ALTER TABLE "runbooks" ADD CONSTRAINT "runbooks_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;