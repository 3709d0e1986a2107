ALTER TABLE incidents DROP COLUMN message;
