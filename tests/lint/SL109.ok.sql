ALTER TABLE accounts ALTER COLUMN note TYPE text;
