ALTER TABLE accounts ADD COLUMN created timestamptz DEFAULT now();
