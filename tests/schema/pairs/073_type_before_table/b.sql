-- dependencies: types, domains over them and functions created before the tables and defaults that use them, across schemas
CREATE SCHEMA a;
CREATE SCHEMA z;
CREATE TYPE z.level AS ENUM ('low', 'high');
CREATE DOMAIN z.levels AS z.level[] CHECK (cardinality(VALUE) > 0);
CREATE TYPE z.span AS (lo z.level, hi z.level);
CREATE FUNCTION z.default_level() RETURNS z.level LANGUAGE sql IMMUTABLE AS $$ SELECT 'low'::z.level $$;
CREATE TABLE a.tasks (id int PRIMARY KEY, lvl z.level NOT NULL DEFAULT z.default_level(), history z.levels, range z.span,
    CONSTRAINT tasks_lvl_check CHECK (lvl <> 'high' OR id > 0));
CREATE FUNCTION a.high_tasks() RETURNS SETOF a.tasks LANGUAGE sql STABLE AS $$ SELECT * FROM a.tasks WHERE lvl = 'high' $$;
