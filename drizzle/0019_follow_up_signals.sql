CREATE TABLE "follow_up_signals" (
	"follow_up_id" integer NOT NULL,
	"signal" text NOT NULL,
	"polarity" text NOT NULL,
	"reason_family" "reason_family" NOT NULL,
	"intensity" numeric(4, 2) NOT NULL,
	"mentions" smallint NOT NULL,
	"span_start" integer NOT NULL,
	"span_end" integer NOT NULL,
	"lexicon_version" text NOT NULL,
	CONSTRAINT "follow_up_signals_follow_up_id_signal_pk" PRIMARY KEY("follow_up_id","signal")
);
--> statement-breakpoint
CREATE TABLE "follow_up_tagging" (
	"follow_up_id" integer PRIMARY KEY NOT NULL,
	"lexicon_version" text NOT NULL,
	"tagged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "follow_up_signals" ADD CONSTRAINT "follow_up_signals_follow_up_id_follow_ups_id_fk" FOREIGN KEY ("follow_up_id") REFERENCES "public"."follow_ups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_tagging" ADD CONSTRAINT "follow_up_tagging_follow_up_id_follow_ups_id_fk" FOREIGN KEY ("follow_up_id") REFERENCES "public"."follow_ups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follow_up_signals_signal_idx" ON "follow_up_signals" USING btree ("signal","follow_up_id");--> statement-breakpoint
CREATE INDEX "follow_up_tagging_version_idx" ON "follow_up_tagging" USING btree ("lexicon_version");