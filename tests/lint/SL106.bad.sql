CREATE INDEX idx_accounts_email ON accounts (email);
