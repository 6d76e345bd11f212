-- Unlogged (edited by hand: drizzle-kit has no option for it): rate-limit counts are worth no WAL;
-- a crash empties the table, which only restarts the current minute of every limit.
CREATE UNLOGGED TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"hits" integer NOT NULL,
	"reset_at" timestamp with time zone NOT NULL
);
