ALTER TABLE accounts ADD COLUMN seen_at timestamp;
