CREATE TYPE "public"."incentive_entry_status" AS ENUM('pending', 'payable', 'clawed_back', 'adjusted');--> statement-breakpoint
CREATE TABLE "incentive_adjustments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "incentive_adjustments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"period" text NOT NULL,
	"rm_id" integer NOT NULL,
	"points" integer NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"proposed_by" integer NOT NULL,
	"proposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "incentive_ledger" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "incentive_ledger_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"source_key" text NOT NULL,
	"rule" text NOT NULL,
	"rm_id" integer NOT NULL,
	"period" text NOT NULL,
	"event_on" date NOT NULL,
	"scheme_version_id" integer,
	"points" integer NOT NULL,
	"status" "incentive_entry_status" NOT NULL,
	"task_id" integer,
	"customer_id" integer,
	"churn_event_id" bigint,
	"follow_up_ids" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"adjustment_id" integer,
	"basis" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incentive_periods" (
	"period" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"locked_by" integer,
	"locked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incentive_scheme_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "incentive_scheme_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"version" integer NOT NULL,
	"effective_from" text NOT NULL,
	"body" jsonb NOT NULL,
	"status" "rule_version_status" NOT NULL,
	"proposed_by" integer,
	"proposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"note" text,
	"decision_note" text
);
--> statement-breakpoint
ALTER TABLE "incentive_adjustments" ADD CONSTRAINT "incentive_adjustments_period_incentive_periods_period_fk" FOREIGN KEY ("period") REFERENCES "public"."incentive_periods"("period") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incentive_adjustments" ADD CONSTRAINT "incentive_adjustments_rm_id_users_id_fk" FOREIGN KEY ("rm_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incentive_adjustments" ADD CONSTRAINT "incentive_adjustments_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incentive_adjustments" ADD CONSTRAINT "incentive_adjustments_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incentive_ledger" ADD CONSTRAINT "incentive_ledger_rm_id_users_id_fk" FOREIGN KEY ("rm_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incentive_ledger" ADD CONSTRAINT "incentive_ledger_period_incentive_periods_period_fk" FOREIGN KEY ("period") REFERENCES "public"."incentive_periods"("period") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incentive_ledger" ADD CONSTRAINT "incentive_ledger_scheme_version_id_incentive_scheme_versions_id_fk" FOREIGN KEY ("scheme_version_id") REFERENCES "public"."incentive_scheme_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incentive_ledger" ADD CONSTRAINT "incentive_ledger_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incentive_ledger" ADD CONSTRAINT "incentive_ledger_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incentive_periods" ADD CONSTRAINT "incentive_periods_locked_by_users_id_fk" FOREIGN KEY ("locked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incentive_scheme_versions" ADD CONSTRAINT "incentive_scheme_versions_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incentive_scheme_versions" ADD CONSTRAINT "incentive_scheme_versions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incentive_adjustments_period_idx" ON "incentive_adjustments" USING btree ("period","status");--> statement-breakpoint
CREATE UNIQUE INDEX "incentive_ledger_source_rule_uq" ON "incentive_ledger" USING btree ("source_key","rule");--> statement-breakpoint
CREATE INDEX "incentive_ledger_period_rm_idx" ON "incentive_ledger" USING btree ("period","rm_id");--> statement-breakpoint
CREATE INDEX "incentive_ledger_rm_idx" ON "incentive_ledger" USING btree ("rm_id","period");--> statement-breakpoint
CREATE INDEX "incentive_ledger_task_idx" ON "incentive_ledger" USING btree ("task_id") WHERE task_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "incentive_scheme_versions_version_uq" ON "incentive_scheme_versions" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "incentive_scheme_versions_active_uq" ON "incentive_scheme_versions" USING btree ("effective_from") WHERE status = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "incentive_scheme_versions_pending_uq" ON "incentive_scheme_versions" USING btree ("status") WHERE status = 'proposed';--> statement-breakpoint
-- The ledger is append-only, and a locked period takes no new entry or adjustment (docs/incentives.md).
CREATE FUNCTION incentive_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'incentive_ledger is append-only' USING ERRCODE = 'P0001';
END $$;--> statement-breakpoint
CREATE TRIGGER incentive_ledger_no_update BEFORE UPDATE OR DELETE ON "incentive_ledger" FOR EACH ROW EXECUTE FUNCTION incentive_ledger_append_only();--> statement-breakpoint
CREATE FUNCTION incentive_period_open_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM incentive_periods p WHERE p.period = NEW.period AND p.status = 'locked') THEN
    RAISE EXCEPTION 'incentive period % is locked', NEW.period USING ERRCODE = 'P0002';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER incentive_ledger_period_open BEFORE INSERT ON "incentive_ledger" FOR EACH ROW EXECUTE FUNCTION incentive_period_open_check();--> statement-breakpoint
CREATE TRIGGER incentive_adjustments_period_open BEFORE INSERT OR UPDATE ON "incentive_adjustments" FOR EACH ROW EXECUTE FUNCTION incentive_period_open_check();
