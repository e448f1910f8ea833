CREATE TABLE "event_outcomes" (
	"event_id" bigint NOT NULL,
	"rule_version_id" integer NOT NULL,
	"rule_id" integer,
	"customer_id" integer NOT NULL,
	"branch_id" integer,
	"rm_id" integer,
	"stage" "churn_stage" NOT NULL,
	"effective_on" date NOT NULL,
	"warned_on" date[] NOT NULL,
	CONSTRAINT "event_outcomes_event_id_rule_version_id_pk" PRIMARY KEY("event_id","rule_version_id")
);
--> statement-breakpoint
CREATE TABLE "insight_dirty" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "insight_dirty_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_outcomes" (
	"task_id" integer PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"branch_id" integer,
	"assignee_id" integer,
	"status" "task_status" NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"opened_on" date NOT NULL,
	"first_contact_at" timestamp with time zone,
	"contact_due_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"resolve_due_at" timestamp with time zone,
	"first_any_event_on" date
);
--> statement-breakpoint
CREATE TABLE "warning_outcomes" (
	"warning_id" bigint PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"branch_id" integer,
	"rm_id" integer,
	"rule_id" integer NOT NULL,
	"rule_version_id" integer NOT NULL,
	"stage" "churn_stage" NOT NULL,
	"severity" "severity" NOT NULL,
	"opened_on" date NOT NULL,
	"first_event_on" date,
	"first_any_event_on" date,
	"confirmed" boolean NOT NULL,
	"rejected" boolean NOT NULL
);
--> statement-breakpoint
CREATE INDEX "event_outcomes_branch_effective_idx" ON "event_outcomes" USING btree ("branch_id","effective_on");--> statement-breakpoint
CREATE INDEX "event_outcomes_effective_idx" ON "event_outcomes" USING btree ("effective_on");--> statement-breakpoint
CREATE INDEX "event_outcomes_customer_idx" ON "event_outcomes" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "task_outcomes_branch_opened_idx" ON "task_outcomes" USING btree ("branch_id","opened_at");--> statement-breakpoint
CREATE INDEX "task_outcomes_opened_idx" ON "task_outcomes" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "task_outcomes_customer_idx" ON "task_outcomes" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "warning_outcomes_branch_opened_idx" ON "warning_outcomes" USING btree ("branch_id","opened_on");--> statement-breakpoint
CREATE INDEX "warning_outcomes_opened_idx" ON "warning_outcomes" USING btree ("opened_on");--> statement-breakpoint
CREATE INDEX "warning_outcomes_customer_idx" ON "warning_outcomes" USING btree ("customer_id");--> statement-breakpoint
-- Which customers' outcome rows must be derived again (lib/insights/outcomes.ts): any change to their warnings,
-- tasks, task links or churn events, or to their branch or RM. Statement-level for inserts, so a bulk load marks
-- each customer once; warnings' daily last_seen_on updates do not count (the outcome rows do not read them).
CREATE FUNCTION insight_dirty_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO insight_dirty (customer_id) SELECT DISTINCT customer_id FROM new_rows;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION insight_dirty_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN INSERT INTO insight_dirty (customer_id) VALUES (NEW.customer_id); END IF;
  IF TG_OP <> 'INSERT' AND (TG_OP = 'DELETE' OR OLD.customer_id <> NEW.customer_id) THEN
    INSERT INTO insight_dirty (customer_id) VALUES (OLD.customer_id);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION insight_dirty_link() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO insight_dirty (customer_id)
  SELECT t.customer_id FROM tasks t WHERE t.id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.task_id ELSE NEW.task_id END)
  UNION SELECT w.customer_id FROM warnings w WHERE w.id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.warning_id ELSE NEW.warning_id END)
 ;
  RETURN NULL;
END $$;--> statement-breakpoint
-- A task's verdict is read by its warnings: their customers too (the same customer, unless a link crosses them).
CREATE FUNCTION insight_dirty_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO insight_dirty (customer_id)
  SELECT NEW.customer_id UNION SELECT OLD.customer_id
  UNION SELECT w.customer_id FROM task_warnings tw JOIN warnings w ON w.id = tw.warning_id WHERE tw.task_id = NEW.id
 ;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION insight_dirty_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO insight_dirty (customer_id) VALUES (NEW.id);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER warnings_insight_ins AFTER INSERT ON "warnings" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dirty_new();--> statement-breakpoint
CREATE TRIGGER warnings_insight_upd AFTER UPDATE ON "warnings" FOR EACH ROW
  WHEN (OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.rule_id IS DISTINCT FROM NEW.rule_id OR OLD.rule_version_id IS DISTINCT FROM NEW.rule_version_id
        OR OLD.stage IS DISTINCT FROM NEW.stage OR OLD.severity IS DISTINCT FROM NEW.severity OR OLD.opened_on IS DISTINCT FROM NEW.opened_on)
  EXECUTE FUNCTION insight_dirty_row();--> statement-breakpoint
CREATE TRIGGER warnings_insight_del AFTER DELETE ON "warnings" FOR EACH ROW EXECUTE FUNCTION insight_dirty_row();--> statement-breakpoint
CREATE TRIGGER tasks_insight_ins AFTER INSERT ON "tasks" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dirty_new();--> statement-breakpoint
CREATE TRIGGER tasks_insight_upd AFTER UPDATE ON "tasks" FOR EACH ROW
  WHEN (OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.outcome IS DISTINCT FROM NEW.outcome OR OLD.opened_at IS DISTINCT FROM NEW.opened_at OR OLD.first_contact_at IS DISTINCT FROM NEW.first_contact_at
        OR OLD.contact_due_at IS DISTINCT FROM NEW.contact_due_at OR OLD.closed_at IS DISTINCT FROM NEW.closed_at OR OLD.resolve_due_at IS DISTINCT FROM NEW.resolve_due_at)
  EXECUTE FUNCTION insight_dirty_task();--> statement-breakpoint
CREATE TRIGGER tasks_insight_del AFTER DELETE ON "tasks" FOR EACH ROW EXECUTE FUNCTION insight_dirty_row();--> statement-breakpoint
CREATE TRIGGER task_warnings_insight AFTER INSERT OR UPDATE OR DELETE ON "task_warnings" FOR EACH ROW EXECUTE FUNCTION insight_dirty_link();--> statement-breakpoint
CREATE TRIGGER churn_events_insight_ins AFTER INSERT ON "churn_events" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dirty_new();--> statement-breakpoint
CREATE TRIGGER churn_events_insight_upd AFTER UPDATE ON "churn_events" FOR EACH ROW
  WHEN (OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.stage IS DISTINCT FROM NEW.stage OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.effective_on IS DISTINCT FROM NEW.effective_on)
  EXECUTE FUNCTION insight_dirty_row();--> statement-breakpoint
CREATE TRIGGER churn_events_insight_del AFTER DELETE ON "churn_events" FOR EACH ROW EXECUTE FUNCTION insight_dirty_row();--> statement-breakpoint
CREATE TRIGGER customers_insight_upd AFTER UPDATE OF branch_id, rm_id ON "customers" FOR EACH ROW
  WHEN (OLD.branch_id IS DISTINCT FROM NEW.branch_id OR OLD.rm_id IS DISTINCT FROM NEW.rm_id)
  EXECUTE FUNCTION insight_dirty_customer();--> statement-breakpoint
-- Backfill: every customer with history is derived on the first refresh (the nightly run, or the first insights read).
INSERT INTO insight_dirty (customer_id) SELECT customer_id FROM warnings UNION SELECT customer_id FROM tasks UNION SELECT customer_id FROM churn_events;
