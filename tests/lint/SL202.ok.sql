ALTER TABLE accounts ADD COLUMN note2 text;
