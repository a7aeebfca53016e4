-- columns: widened types int->bigint on a PK and on its FK column, smallint->int, real->double precision
CREATE TABLE public.parents (id bigint PRIMARY KEY, n int);
CREATE TABLE public.children (id int PRIMARY KEY, parent_id bigint REFERENCES public.parents (id), r double precision);
CREATE INDEX children_parent_id_idx ON public.children (parent_id);
