-- functions: overloads of one name: one body changed, one dropped, two added (default args, VARIADIC, anyelement)
CREATE FUNCTION public.fmt(x int) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'i:' || x::text $$;
CREATE FUNCTION public.fmt(x text, width int DEFAULT 10) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lpad(x, width) $$;
CREATE FUNCTION public.fmt(VARIADIC parts text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT array_to_string(parts, ',') $$;
CREATE FUNCTION public.first_of(a anyelement, b anyelement) RETURNS anyelement LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(a, b) $$;
