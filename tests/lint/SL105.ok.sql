ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE USING INDEX idx_accounts_email;
