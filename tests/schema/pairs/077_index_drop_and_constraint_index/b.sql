-- indexes: indexes dropped; a unique index replaced by a unique constraint using the same name; a partial index's predicate changed
CREATE TABLE public.t (id int PRIMARY KEY, a int, b int, c text, CONSTRAINT t_b_key UNIQUE (b));
CREATE INDEX t_c_idx ON public.t (c) WHERE c <> '';
