CREATE FUNCTION public.total(n int) RETURNS int LANGUAGE sql AS $$ SELECT n * 2 $$;
CREATE FUNCTION public.pairs() RETURNS SETOF int LANGUAGE sql AS $$ SELECT generate_series(1, 3) $$;
CREATE FUNCTION public.info(OUT a int, OUT b text) LANGUAGE sql AS $$ SELECT 1, 'x' $$;
