ALTER TABLE "outbox_events" ADD COLUMN "xid" "xid8" DEFAULT pg_current_xact_id();--> statement-breakpoint
ALTER TABLE "webhook_cursors" ADD COLUMN "snapshot" text;--> statement-breakpoint
ALTER TABLE "webhook_cursors" ADD COLUMN "batch" text;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "include_names" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_events_xid_idx" ON "outbox_events" USING btree ("xid");--> statement-breakpoint
CREATE INDEX "outbox_events_org_xid_idx" ON "outbox_events" USING btree ("org_id","xid");