DROP INDEX "outbox_events_org_type_idx";--> statement-breakpoint
CREATE INDEX "outbox_events_org_seq_idx" ON "outbox_events" USING btree ("org_id","seq");--> statement-breakpoint
CREATE INDEX "outbox_events_org_type_seq_idx" ON "outbox_events" USING btree ("org_id","type","seq");--> statement-breakpoint
CREATE INDEX "outbox_events_created_at_idx" ON "outbox_events" USING btree ("created_at");