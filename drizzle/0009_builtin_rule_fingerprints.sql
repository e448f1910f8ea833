CREATE TABLE "builtin_rule_fingerprints" (
	"rule_id" integer NOT NULL,
	"fingerprint" text NOT NULL,
	"version_id" integer,
	"release" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "builtin_rule_fingerprints_rule_id_fingerprint_pk" PRIMARY KEY("rule_id","fingerprint")
);
--> statement-breakpoint
ALTER TABLE "builtin_rule_fingerprints" ADD CONSTRAINT "builtin_rule_fingerprints_rule_id_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."rules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "builtin_rule_fingerprints" ADD CONSTRAINT "builtin_rule_fingerprints_version_id_rule_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."rule_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "builtin_rule_fingerprints_version_idx" ON "builtin_rule_fingerprints" USING btree ("version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rule_versions_pending_uq" ON "rule_versions" USING btree ("rule_id") WHERE status = 'proposed';