-- strata:no-transaction
REINDEX TABLE CONCURRENTLY accounts;
