-- A push monitor's run in progress: when its job reported ?state=start (Unix ms).
ALTER TABLE monitors ADD COLUMN run_started_at INTEGER;
