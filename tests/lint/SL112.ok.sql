-- strata:no-transaction
BEGIN;
UPDATE accounts SET note = NULL;
COMMIT;
