ALTER TABLE "sessions" ALTER COLUMN "held_at" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ALTER COLUMN "minutes" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "discovery_min_minutes" integer;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "status" text DEFAULT 'held' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "planned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "planned_minutes" integer;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "agenda" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "status_changed_by" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "status_changed_at" timestamp with time zone;