ALTER TABLE accounts ADD CONSTRAINT positive CHECK (balance >= 0) NOT VALID;
