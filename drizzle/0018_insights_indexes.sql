CREATE INDEX "tasks_opened_idx" ON "tasks" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "warnings_opened_idx" ON "warnings" USING btree ("opened_on");--> statement-breakpoint
CREATE INDEX "warnings_customer_opened_idx" ON "warnings" USING btree ("customer_id","opened_on");