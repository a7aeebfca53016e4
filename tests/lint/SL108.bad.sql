REINDEX TABLE accounts;
