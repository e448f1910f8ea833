CREATE TYPE "public"."rule_subject" AS ENUM('loan', 'customer', 'application');--> statement-breakpoint
CREATE TYPE "public"."rule_version_status" AS ENUM('proposed', 'active', 'rejected', 'superseded');--> statement-breakpoint
CREATE TYPE "public"."run_status" AS ENUM('queued', 'running', 'succeeded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."severity" AS ENUM('low', 'medium', 'high', 'critical');--> statement-breakpoint
CREATE TYPE "public"."warning_status" AS ENUM('open', 'closed');--> statement-breakpoint
CREATE TABLE "cob_partitions" (
	"run_id" integer NOT NULL,
	"partition_no" integer NOT NULL,
	"loan_id_from" integer NOT NULL,
	"loan_id_to" integer NOT NULL,
	"status" "run_status" DEFAULT 'queued' NOT NULL,
	"loans" integer DEFAULT 0 NOT NULL,
	"opened" integer DEFAULT 0 NOT NULL,
	"closed" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "cob_partitions_run_id_partition_no_pk" PRIMARY KEY("run_id","partition_no")
);
--> statement-breakpoint
CREATE TABLE "cob_runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cob_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"as_of" date NOT NULL,
	"trigger" text NOT NULL,
	"requested_by" integer,
	"status" "run_status" DEFAULT 'queued' NOT NULL,
	"partitions_total" integer DEFAULT 0 NOT NULL,
	"partitions_done" integer DEFAULT 0 NOT NULL,
	"loans_evaluated" integer DEFAULT 0 NOT NULL,
	"warnings_opened" integer DEFAULT 0 NOT NULL,
	"warnings_closed" integer DEFAULT 0 NOT NULL,
	"failure" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "industry_watchlist" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "industry_watchlist_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"industry_code" text NOT NULL,
	"reason" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"added_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "industry_watchlist_industry_code_unique" UNIQUE("industry_code")
);
--> statement-breakpoint
CREATE TABLE "reference_rates" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reference_rates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"effective_on" date NOT NULL,
	"rate" numeric(9, 6) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rule_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rule_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"rule_id" integer NOT NULL,
	"version" integer NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"description_zh" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"subject" "rule_subject" NOT NULL,
	"condition" jsonb NOT NULL,
	"severity" "severity" NOT NULL,
	"stage" "churn_stage" NOT NULL,
	"will" "churn_will" NOT NULL,
	"reason_family" "reason_family" NOT NULL,
	"cooldown_days" integer NOT NULL,
	"enabled" boolean NOT NULL,
	"status" "rule_version_status" NOT NULL,
	"proposed_by" integer,
	"proposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "rules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rules_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "warning_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "warning_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"warning_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"as_of" date NOT NULL,
	"detail" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warnings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "warnings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"rule_id" integer NOT NULL,
	"rule_version_id" integer NOT NULL,
	"subject_key" text NOT NULL,
	"customer_id" integer NOT NULL,
	"loan_id" integer,
	"application_id" integer,
	"status" "warning_status" DEFAULT 'open' NOT NULL,
	"severity" "severity" NOT NULL,
	"stage" "churn_stage" NOT NULL,
	"will" "churn_will" NOT NULL,
	"reason_family" "reason_family" NOT NULL,
	"opened_on" date NOT NULL,
	"last_seen_on" date NOT NULL,
	"closed_on" date,
	"close_reason" text,
	"evidence" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cob_partitions" ADD CONSTRAINT "cob_partitions_run_id_cob_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."cob_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cob_runs" ADD CONSTRAINT "cob_runs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "industry_watchlist" ADD CONSTRAINT "industry_watchlist_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_versions" ADD CONSTRAINT "rule_versions_rule_id_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."rules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_versions" ADD CONSTRAINT "rule_versions_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_versions" ADD CONSTRAINT "rule_versions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warning_events" ADD CONSTRAINT "warning_events_warning_id_warnings_id_fk" FOREIGN KEY ("warning_id") REFERENCES "public"."warnings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_rule_id_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."rules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_rule_version_id_rule_versions_id_fk" FOREIGN KEY ("rule_version_id") REFERENCES "public"."rule_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_loan_id_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."loans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cob_runs_as_of_idx" ON "cob_runs" USING btree ("as_of");--> statement-breakpoint
CREATE UNIQUE INDEX "reference_rates_kind_on_uq" ON "reference_rates" USING btree ("kind","effective_on");--> statement-breakpoint
CREATE UNIQUE INDEX "rule_versions_rule_version_uq" ON "rule_versions" USING btree ("rule_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "rule_versions_active_uq" ON "rule_versions" USING btree ("rule_id") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "warning_events_warning_idx" ON "warning_events" USING btree ("warning_id");--> statement-breakpoint
CREATE UNIQUE INDEX "warnings_open_uq" ON "warnings" USING btree ("rule_id","subject_key") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "warnings_customer_idx" ON "warnings" USING btree ("customer_id","status");--> statement-breakpoint
CREATE INDEX "warnings_status_idx" ON "warnings" USING btree ("status","severity");