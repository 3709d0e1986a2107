ALTER TABLE monitors DROP COLUMN run_started_at;
