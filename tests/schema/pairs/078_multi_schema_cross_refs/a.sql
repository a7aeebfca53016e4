CREATE SCHEMA core;
CREATE SCHEMA reporting;
CREATE TABLE core.customers (id int PRIMARY KEY, name text);
