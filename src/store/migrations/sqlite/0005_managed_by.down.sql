ALTER TABLE status_pages DROP COLUMN managed_by;
ALTER TABLE notification_channels DROP COLUMN managed_by;
ALTER TABLE monitors DROP COLUMN managed_by;
