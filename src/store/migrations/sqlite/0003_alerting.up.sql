-- Dependency-aware alerting and flap damping (per monitor).
-- `depends_on`: another monitor this one sits behind (a router, a VPN); while that one is
-- DOWN, this one's DOWN notices fold into its notice. Cleared by the store when the other
-- monitor is deleted (no FK, so the column can be dropped again on SQLite).
ALTER TABLE monitors ADD COLUMN depends_on TEXT;
-- Notify DOWN only after this many consecutive DOWN beats, and the recovery only after this
-- many consecutive UP beats (on top of max_retries).
ALTER TABLE monitors ADD COLUMN notify_after_failures INTEGER NOT NULL DEFAULT 1;
ALTER TABLE monitors ADD COLUMN notify_after_successes INTEGER NOT NULL DEFAULT 1;
CREATE INDEX monitors_depends_on ON monitors(depends_on) WHERE depends_on IS NOT NULL;
