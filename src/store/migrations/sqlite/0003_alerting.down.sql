DROP INDEX monitors_depends_on;
ALTER TABLE monitors DROP COLUMN notify_after_successes;
ALTER TABLE monitors DROP COLUMN notify_after_failures;
ALTER TABLE monitors DROP COLUMN depends_on;
