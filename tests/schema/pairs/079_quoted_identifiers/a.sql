CREATE SCHEMA "My Schema";
CREATE TABLE "My Schema"."Order" ("Id" int PRIMARY KEY, "select" text, "Mixed Case" int);
