-- extensions: pgcrypto, citext and hstore created, then used by new columns and a default
CREATE EXTENSION pgcrypto;
CREATE EXTENSION citext;
CREATE EXTENSION hstore;
CREATE TABLE public.users (id int PRIMARY KEY, name text, email citext, attrs hstore, token uuid DEFAULT gen_random_uuid());
