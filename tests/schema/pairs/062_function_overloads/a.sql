CREATE FUNCTION public.fmt(x int) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT x::text $$;
CREATE FUNCTION public.fmt(x numeric) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT x::text $$;
