CREATE TYPE "public"."churn_event_status" AS ENUM('detected', 'confirmed', 'dismissed');--> statement-breakpoint
CREATE TYPE "public"."churn_kind" AS ENUM('application_rejected', 'application_withdrawn', 'approved_not_drawn', 'prepaid_in_full', 'large_partial_prepayment', 'default', 'terminated', 'written_off', 'matured_not_renewed', 'other');--> statement-breakpoint
CREATE TYPE "public"."churn_source" AS ENUM('detected', 'recorded');--> statement-breakpoint
CREATE TABLE "churn_event_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "churn_event_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_id" bigint NOT NULL,
	"subject_key" text NOT NULL,
	"customer_id" integer NOT NULL,
	"kind" "churn_kind" NOT NULL,
	"change" text NOT NULL,
	"reason" text NOT NULL,
	"as_of" date NOT NULL,
	"before" jsonb NOT NULL,
	"after" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "churn_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "churn_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"subject_key" text NOT NULL,
	"customer_id" integer NOT NULL,
	"loan_id" integer,
	"application_id" integer,
	"stage" "churn_stage" NOT NULL,
	"kind" "churn_kind" NOT NULL,
	"will" "churn_will" NOT NULL,
	"reason_family" "reason_family",
	"reason_inferred" boolean NOT NULL,
	"effective_on" date NOT NULL,
	"detected_on" date NOT NULL,
	"exposure_fen" bigint DEFAULT 0 NOT NULL,
	"principal_lost_fen" bigint DEFAULT 0 NOT NULL,
	"interest_lost_fen" bigint DEFAULT 0 NOT NULL,
	"interest_forgone_fen" bigint DEFAULT 0 NOT NULL,
	"source" "churn_source" NOT NULL,
	"status" "churn_event_status" DEFAULT 'detected' NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"dismiss_reason" text,
	"task_id" integer,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "follow_ups" ALTER COLUMN "task_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "churned_on" date;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "won_back_on" date;--> statement-breakpoint
ALTER TABLE "churn_event_changes" ADD CONSTRAINT "churn_event_changes_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "churn_events" ADD CONSTRAINT "churn_events_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "churn_events" ADD CONSTRAINT "churn_events_loan_id_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."loans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "churn_events" ADD CONSTRAINT "churn_events_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "churn_events" ADD CONSTRAINT "churn_events_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "churn_events" ADD CONSTRAINT "churn_events_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "churn_event_changes_event_idx" ON "churn_event_changes" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "churn_event_changes_customer_idx" ON "churn_event_changes" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "churn_events_subject_kind_day_uq" ON "churn_events" USING btree ("subject_key","kind","effective_on");--> statement-breakpoint
CREATE INDEX "churn_events_customer_idx" ON "churn_events" USING btree ("customer_id","effective_on");--> statement-breakpoint
CREATE INDEX "churn_events_loan_idx" ON "churn_events" USING btree ("loan_id") WHERE loan_id is not null;--> statement-breakpoint
CREATE INDEX "churn_events_effective_idx" ON "churn_events" USING btree ("effective_on","stage");