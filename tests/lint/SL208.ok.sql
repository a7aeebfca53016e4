CREATE VIEW customers AS SELECT * FROM accounts;
