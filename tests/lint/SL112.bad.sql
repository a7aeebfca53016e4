BEGIN;
UPDATE accounts SET note = NULL;
COMMIT;
