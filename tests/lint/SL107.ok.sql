-- strata:no-transaction
DROP INDEX CONCURRENTLY idx_accounts_email;
