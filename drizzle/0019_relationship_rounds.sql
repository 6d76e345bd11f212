ALTER TABLE "goals" ADD COLUMN "parent_goal_id" uuid;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "round" integer;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "achievement" jsonb;--> statement-breakpoint
ALTER TABLE "reflections" ADD COLUMN "round" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "relationships" ADD COLUMN "round" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "stage_history" ADD COLUMN "round" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_parent_goal_fk" FOREIGN KEY ("org_id","parent_goal_id") REFERENCES "public"."goals"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-added: every goal agreed before rounds existed counts as agreed in round 1, where every existing relationship now stands.
UPDATE "goals" SET "round" = 1 WHERE "agreed_at" IS NOT NULL;
