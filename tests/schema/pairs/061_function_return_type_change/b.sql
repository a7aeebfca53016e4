-- functions: return type changed (drop and create): int->bigint, SETOF int -> TABLE, OUT parameters added
CREATE FUNCTION public.total(n int) RETURNS bigint LANGUAGE sql AS $$ SELECT n::bigint * 2 $$;
CREATE FUNCTION public.pairs() RETURNS TABLE (i int, sq int) LANGUAGE sql AS $$ SELECT g, g * g FROM generate_series(1, 3) g $$;
CREATE FUNCTION public.info(OUT a int, OUT b text, OUT c date) LANGUAGE sql AS $$ SELECT 1, 'x', current_date $$;
