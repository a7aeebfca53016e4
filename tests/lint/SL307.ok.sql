ALTER TABLE accounts ADD COLUMN prefs jsonb;
