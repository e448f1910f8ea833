CREATE TABLE "loan_month_ends" (
	"month_end" date NOT NULL,
	"loan_id" integer NOT NULL,
	"customer_id" integer NOT NULL,
	"classification" "classification" NOT NULL,
	"balance_fen" bigint NOT NULL,
	CONSTRAINT "loan_month_ends_month_end_loan_id_pk" PRIMARY KEY("month_end","loan_id")
);
--> statement-breakpoint
CREATE TABLE "month_end_snapshots" (
	"month_end" date PRIMARY KEY NOT NULL,
	"loans" integer NOT NULL,
	"balance_fen" bigint NOT NULL,
	"written_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portfolio_month_ends" (
	"month_end" date NOT NULL,
	"branch_id" integer NOT NULL,
	"classification" "classification" NOT NULL,
	"loans" integer NOT NULL,
	"balance_fen" bigint NOT NULL,
	CONSTRAINT "portfolio_month_ends_month_end_branch_id_classification_pk" PRIMARY KEY("month_end","branch_id","classification")
);
--> statement-breakpoint
ALTER TABLE "loan_month_ends" ADD CONSTRAINT "loan_month_ends_loan_id_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."loans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loan_month_ends" ADD CONSTRAINT "loan_month_ends_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_month_ends" ADD CONSTRAINT "portfolio_month_ends_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "loan_month_ends_customer_idx" ON "loan_month_ends" USING btree ("customer_id","month_end");