CREATE TABLE "metric_readings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"goal_id" uuid NOT NULL,
	"metric_id" uuid NOT NULL,
	"value" double precision NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "reopened_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "reopened_because" jsonb;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "done_by" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "done_note" text;--> statement-breakpoint
ALTER TABLE "metric_readings" ADD CONSTRAINT "metric_readings_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_readings" ADD CONSTRAINT "metric_readings_metric_id_goal_metrics_id_fk" FOREIGN KEY ("metric_id") REFERENCES "public"."goal_metrics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_readings_org_metric_idx" ON "metric_readings" USING btree ("org_id","metric_id","id");--> statement-breakpoint
CREATE INDEX "metric_readings_metric_at_idx" ON "metric_readings" USING btree ("metric_id","at");