CREATE TABLE public.t (id int PRIMARY KEY, a int, b int, c text);
CREATE INDEX t_a_idx ON public.t (a);
CREATE UNIQUE INDEX t_b_key ON public.t (b);
CREATE INDEX t_c_idx ON public.t (c) WHERE c IS NOT NULL;
