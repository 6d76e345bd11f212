CREATE TABLE "matching_pairs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"run_id" uuid NOT NULL,
	"mentee_id" uuid NOT NULL,
	"mentor_id" uuid NOT NULL,
	"score" double precision NOT NULL,
	"factors" jsonb NOT NULL,
	"relationship_id" uuid,
	"accepted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "matching_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"programme_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by" text NOT NULL,
	"request" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"objective" double precision,
	"greedy_objective" double precision,
	"mentee_count" integer,
	"mentor_count" integer,
	"unmatched" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"failure" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "grade" integer;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "location" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "experience_years" integer;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "aspiration" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "goal_focus" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "preferred_mentor_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "matching" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "matching_pairs" ADD CONSTRAINT "matching_pairs_run_id_matching_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."matching_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matching_pairs" ADD CONSTRAINT "matching_pairs_mentee_id_people_id_fk" FOREIGN KEY ("mentee_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matching_pairs" ADD CONSTRAINT "matching_pairs_mentor_id_people_id_fk" FOREIGN KEY ("mentor_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matching_pairs" ADD CONSTRAINT "matching_pairs_relationship_id_relationships_id_fk" FOREIGN KEY ("relationship_id") REFERENCES "public"."relationships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matching_runs" ADD CONSTRAINT "matching_runs_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "matching_pairs_org_run_idx" ON "matching_pairs" USING btree ("org_id","run_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "matching_pairs_run_mentee_key" ON "matching_pairs" USING btree ("run_id","mentee_id");--> statement-breakpoint
CREATE INDEX "matching_runs_org_id_idx" ON "matching_runs" USING btree ("org_id","id");--> statement-breakpoint
CREATE INDEX "matching_runs_org_programme_idx" ON "matching_runs" USING btree ("org_id","programme_id","id");