CREATE TYPE "public"."classification" AS ENUM('normal', 'special_mention', 'substandard', 'doubtful', 'loss');--> statement-breakpoint
CREATE TYPE "public"."import_kind" AS ENUM('customers', 'applications', 'loans', 'schedules', 'repayments');--> statement-breakpoint
CREATE TYPE "public"."import_status" AS ENUM('queued', 'parsing', 'validating', 'writing', 'succeeded', 'rejected', 'failed');--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"user_id" integer NOT NULL,
	"key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "imports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" "import_kind" NOT NULL,
	"file_name" text NOT NULL,
	"file_bytes" bigint NOT NULL,
	"stored_path" text,
	"encoding" text DEFAULT 'auto' NOT NULL,
	"detected_encoding" text,
	"dry_run" boolean DEFAULT false NOT NULL,
	"status" "import_status" DEFAULT 'queued' NOT NULL,
	"user_id" integer,
	"rows_parsed" integer DEFAULT 0 NOT NULL,
	"rows_validated" integer DEFAULT 0 NOT NULL,
	"rows_written" integer DEFAULT 0 NOT NULL,
	"rows_new" integer DEFAULT 0 NOT NULL,
	"rows_changed" integer DEFAULT 0 NOT NULL,
	"rows_unchanged" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"failure" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "installment_state" (
	"loan_id" integer NOT NULL,
	"installment_no" smallint NOT NULL,
	"paid_principal_fen" bigint NOT NULL,
	"paid_interest_fen" bigint NOT NULL,
	"paid_penalty_fen" bigint NOT NULL,
	"penalty_accrued_fen" bigint NOT NULL,
	"settled_on" date,
	CONSTRAINT "installment_state_loan_id_installment_no_pk" PRIMARY KEY("loan_id","installment_no")
);
--> statement-breakpoint
CREATE TABLE "loan_state" (
	"loan_id" integer PRIMARY KEY NOT NULL,
	"as_of" date NOT NULL,
	"outstanding_principal_fen" bigint NOT NULL,
	"overdue_principal_fen" bigint NOT NULL,
	"overdue_interest_fen" bigint NOT NULL,
	"penalty_fen" bigint NOT NULL,
	"paid_principal_fen" bigint NOT NULL,
	"paid_interest_fen" bigint NOT NULL,
	"paid_penalty_fen" bigint NOT NULL,
	"prepaid_principal_fen" bigint NOT NULL,
	"dpd" integer NOT NULL,
	"bucket" text NOT NULL,
	"classification" "classification" NOT NULL,
	"settled" boolean NOT NULL,
	"settled_on" date,
	"next_due_on" date,
	"last_paid_on" date,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "loan_state_history" (
	"loan_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"changed_on" date NOT NULL,
	"cause" text NOT NULL,
	"dpd" integer NOT NULL,
	"bucket" text NOT NULL,
	"classification" "classification" NOT NULL,
	"before" jsonb,
	"after" jsonb NOT NULL,
	CONSTRAINT "loan_state_history_loan_id_seq_pk" PRIMARY KEY("loan_id","seq")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "repayment_allocations" (
	"repayment_id" bigint NOT NULL,
	"loan_id" integer NOT NULL,
	"installment_no" smallint NOT NULL,
	"component" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	CONSTRAINT "repayment_allocations_repayment_id_installment_no_component_pk" PRIMARY KEY("repayment_id","installment_no","component")
);
--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "installment_state" ADD CONSTRAINT "installment_state_loan_id_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."loans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loan_state" ADD CONSTRAINT "loan_state_loan_id_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."loans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loan_state_history" ADD CONSTRAINT "loan_state_history_loan_id_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."loans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repayment_allocations" ADD CONSTRAINT "repayment_allocations_repayment_id_repayments_id_fk" FOREIGN KEY ("repayment_id") REFERENCES "public"."repayments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repayment_allocations" ADD CONSTRAINT "repayment_allocations_loan_id_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."loans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imports_created_idx" ON "imports" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "loan_state_dpd_idx" ON "loan_state" USING btree ("dpd");--> statement-breakpoint
CREATE INDEX "loan_state_class_idx" ON "loan_state" USING btree ("classification");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("id") WHERE dispatched_at is null;--> statement-breakpoint
CREATE INDEX "allocations_loan_idx" ON "repayment_allocations" USING btree ("loan_id");