-- extensions: hstore dropped with the column using it; citext kept in its own schema
CREATE SCHEMA ext;
CREATE EXTENSION citext WITH SCHEMA ext;
CREATE TABLE public.t (id int, name ext.citext);
