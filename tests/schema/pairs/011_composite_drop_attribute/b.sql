-- composite type: an attribute dropped and an attribute type changed; a new composite type added
CREATE TYPE public.point3 AS (x float8, y float8, z numeric);
CREATE TYPE public.pair AS (a int, b int);
CREATE FUNCTION public.origin() RETURNS public.point3 LANGUAGE sql IMMUTABLE AS $$ SELECT ROW(0, 0, 0)::public.point3 $$;
