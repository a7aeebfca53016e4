-- columns: a column changed to a domain type, an array column's element type changed (text[] -> varchar(40)[]), a range column added
CREATE DOMAIN public.nonempty AS text CHECK (VALUE <> '');
CREATE TABLE public.t (id int PRIMARY KEY, names varchar(40)[], tag public.nonempty, valid daterange);
