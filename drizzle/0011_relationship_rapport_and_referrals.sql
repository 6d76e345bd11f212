ALTER TABLE "relationships" ADD COLUMN "mentor_acceptance_note" text;--> statement-breakpoint
ALTER TABLE "relationships" ADD COLUMN "mentee_acceptance_note" text;--> statement-breakpoint
ALTER TABLE "relationships" ADD COLUMN "hopes" text;--> statement-breakpoint
ALTER TABLE "relationships" ADD COLUMN "challenges" text;--> statement-breakpoint
ALTER TABLE "relationships" ADD COLUMN "referred_from_id" uuid;--> statement-breakpoint
ALTER TABLE "relationships" ADD COLUMN "referred_to_id" uuid;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_referred_from_id_relationships_id_fk" FOREIGN KEY ("referred_from_id") REFERENCES "public"."relationships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_referred_to_id_relationships_id_fk" FOREIGN KEY ("referred_to_id") REFERENCES "public"."relationships"("id") ON DELETE no action ON UPDATE no action;