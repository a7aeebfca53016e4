CREATE EXTENSION hstore;
CREATE SCHEMA ext;
CREATE EXTENSION citext WITH SCHEMA ext;
CREATE TABLE public.t (id int, name ext.citext, tags hstore);
