-- Status-page incidents carry the text posted with them (updates follow in incident_updates).
ALTER TABLE incidents ADD COLUMN message TEXT NOT NULL DEFAULT '';
