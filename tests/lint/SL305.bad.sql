ALTER TABLE accounts ADD COLUMN code varchar(20);
