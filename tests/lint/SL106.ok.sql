-- strata:no-transaction
CREATE INDEX CONCURRENTLY idx_accounts_email ON accounts (email);
