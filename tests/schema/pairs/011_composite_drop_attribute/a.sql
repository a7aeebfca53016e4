CREATE TYPE public.point3 AS (x float8, y float8, z float8, label text);
CREATE FUNCTION public.origin() RETURNS public.point3 LANGUAGE sql IMMUTABLE AS $$ SELECT ROW(0, 0, 0, 'o')::public.point3 $$;
