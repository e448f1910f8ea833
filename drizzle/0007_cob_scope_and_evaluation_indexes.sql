ALTER TABLE "cob_partitions" ADD COLUMN "scope" text DEFAULT 'loans' NOT NULL;--> statement-breakpoint
CREATE INDEX "allocations_prepayment_idx" ON "repayment_allocations" USING btree ("loan_id","repayment_id","amount_fen") WHERE component = 'prepayment';--> statement-breakpoint
CREATE INDEX "warnings_open_loan_idx" ON "warnings" USING btree ("loan_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "warnings_closed_key_idx" ON "warnings" USING btree ("rule_id","subject_key","closed_on") WHERE status = 'closed';