CREATE TABLE "model_scores" (
	"loan_id" integer PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"model_version_id" integer NOT NULL,
	"as_of" date NOT NULL,
	"score" integer NOT NULL,
	"band" text NOT NULL,
	"points" jsonb NOT NULL,
	"reasons" jsonb NOT NULL,
	"scored_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "model_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"version" integer NOT NULL,
	"status" "run_status" DEFAULT 'queued' NOT NULL,
	"progress" smallint DEFAULT 0 NOT NULL,
	"stage" text DEFAULT 'queued' NOT NULL,
	"label" text NOT NULL,
	"horizon_days" integer NOT NULL,
	"months" integer NOT NULL,
	"seed" integer NOT NULL,
	"data_from" date,
	"data_to" date,
	"features" jsonb,
	"metrics" jsonb,
	"scorecard" jsonb,
	"failure" text,
	"trained_by" integer NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"active" boolean DEFAULT false NOT NULL,
	"activated_by" integer,
	"activated_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "model_scores" ADD CONSTRAINT "model_scores_loan_id_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."loans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_scores" ADD CONSTRAINT "model_scores_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_scores" ADD CONSTRAINT "model_scores_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_trained_by_users_id_fk" FOREIGN KEY ("trained_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_activated_by_users_id_fk" FOREIGN KEY ("activated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_scores_customer_idx" ON "model_scores" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_version_uq" ON "model_versions" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_active_uq" ON "model_versions" USING btree ("active") WHERE active;--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_training_uq" ON "model_versions" USING btree ("status") WHERE status in ('queued', 'running');