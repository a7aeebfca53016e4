-- indexes: btree index columns changed (same name), one dropped, multi-column with opclass and fillfactor added
CREATE TABLE public.t (id int PRIMARY KEY, a int, b text, c timestamptz);
CREATE INDEX t_a_idx ON public.t (a, id);
CREATE INDEX t_b_pattern_idx ON public.t (b text_pattern_ops, c) WITH (fillfactor = 80);
