CREATE TABLE "scheduled_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "default_cadence_days" integer DEFAULT 14 NOT NULL;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "quiet_grace_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "invitation_expiry_days" integer DEFAULT 14;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "due_soon_days" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "session_reminder_minutes" integer DEFAULT 1440 NOT NULL;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "ending_notice_days" integer DEFAULT 14 NOT NULL;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "on_programme_end" text DEFAULT 'leave' NOT NULL;--> statement-breakpoint
ALTER TABLE "relationships" ADD COLUMN "quiet_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "relationships" ADD COLUMN "quiet_check_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
CREATE UNIQUE INDEX "scheduled_jobs_key_key" ON "scheduled_jobs" USING btree ("key");--> statement-breakpoint
CREATE INDEX "scheduled_jobs_due_idx" ON "scheduled_jobs" USING btree ("run_at") WHERE "scheduled_jobs"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "scheduled_jobs_org_subject_idx" ON "scheduled_jobs" USING btree ("org_id","subject_id");--> statement-breakpoint
CREATE INDEX "goals_due_idx" ON "goals" USING btree ("due_on") WHERE "goals"."status" = 'agreed';--> statement-breakpoint
CREATE INDEX "milestones_due_idx" ON "milestones" USING btree ("due_on") WHERE "milestones"."done_at" is null;--> statement-breakpoint
CREATE INDEX "relationships_quiet_check_idx" ON "relationships" USING btree ("quiet_check_at") WHERE "relationships"."status" = 'active';--> statement-breakpoint
CREATE INDEX "relationships_open_invitation_idx" ON "relationships" USING btree ("created_at") WHERE "relationships"."status" = 'active' and ("relationships"."mentor_accepted_at" is null or "relationships"."mentee_accepted_at" is null);--> statement-breakpoint
CREATE INDEX "sessions_planned_idx" ON "sessions" USING btree ("planned_at") WHERE "sessions"."status" = 'planned';--> statement-breakpoint
CREATE INDEX "tasks_due_idx" ON "tasks" USING btree ("due_on") WHERE "tasks"."done_at" is null;