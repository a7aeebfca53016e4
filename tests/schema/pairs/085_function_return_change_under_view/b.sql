-- dependencies: a function's return type changes while a view and an expression index use it (both rebuilt)
CREATE TABLE public.t (id int PRIMARY KEY, v int);
CREATE FUNCTION public.scaled(x int) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT x * 10.5 $$;
CREATE VIEW public.v AS SELECT id, public.scaled(v) AS s FROM public.t;
CREATE INDEX t_scaled_idx ON public.t (public.scaled(v));
