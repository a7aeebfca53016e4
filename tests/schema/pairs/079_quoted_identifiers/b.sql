-- identifiers: quoted, mixed-case, reserved-word and spaced names for schema, table, columns, index, view, enum labels
CREATE SCHEMA "My Schema";
CREATE TYPE "My Schema"."Kind" AS ENUM ('a b', 'it''s', 'UPPER');
CREATE TABLE "My Schema"."Order" ("Id" int PRIMARY KEY, "select" text NOT NULL DEFAULT 'from', "Mixed Case" bigint, "user" "My Schema"."Kind");
CREATE INDEX "Order by select" ON "My Schema"."Order" ("select", "Mixed Case");
CREATE VIEW "My Schema"."Order View" AS SELECT "Id", "select" AS "where" FROM "My Schema"."Order";
COMMENT ON COLUMN "My Schema"."Order"."select" IS 'reserved';
