ALTER TABLE "people" ADD COLUMN "user_name" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "employee_number" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "department" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "organization" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "manager_id" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "directory" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "deactivated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "on_person_deactivated" text DEFAULT 'withdraw' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "people_org_user_name_key" ON "people" USING btree ("org_id",lower("user_name"));