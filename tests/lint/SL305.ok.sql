ALTER TABLE accounts ADD COLUMN code text;
