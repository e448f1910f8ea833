CREATE TABLE "signal_lexicon_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "signal_lexicon_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"version" integer NOT NULL,
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
ALTER TABLE "signal_lexicon_versions" ADD CONSTRAINT "signal_lexicon_versions_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signal_lexicon_versions" ADD CONSTRAINT "signal_lexicon_versions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "signal_lexicon_versions_version_uq" ON "signal_lexicon_versions" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "signal_lexicon_versions_active_uq" ON "signal_lexicon_versions" USING btree ("status") WHERE status = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "signal_lexicon_versions_pending_uq" ON "signal_lexicon_versions" USING btree ("status") WHERE status = 'proposed';