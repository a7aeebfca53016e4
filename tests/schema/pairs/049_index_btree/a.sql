CREATE TABLE public.t (id int PRIMARY KEY, a int, b text, c timestamptz);
CREATE INDEX t_a_idx ON public.t (a);
CREATE INDEX t_old_idx ON public.t (c);
