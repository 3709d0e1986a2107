-- Config as code: who owns an object. NULL = created in the UI/API (never touched by the
-- monitors file); 'file' = declared in the monitors file (the API refuses to edit it).
ALTER TABLE monitors ADD COLUMN managed_by TEXT;
ALTER TABLE notification_channels ADD COLUMN managed_by TEXT;
ALTER TABLE status_pages ADD COLUMN managed_by TEXT;
