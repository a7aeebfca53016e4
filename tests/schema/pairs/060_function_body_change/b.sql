-- functions: sql and plpgsql bodies changed, volatility/strictness/security/cost/search_path changed, one dropped, a SQL-standard body added
CREATE FUNCTION public.add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT a + b + 0 $$;
CREATE FUNCTION public.greet(who text) RETURNS text LANGUAGE plpgsql STABLE SECURITY DEFINER COST 50 SET search_path = pg_catalog, public AS $$
DECLARE
    greeting text := 'hello, ';
BEGIN
    RETURN greeting || coalesce(who, 'nobody') || '!';
END;
$$;
CREATE FUNCTION public.twice(x int) RETURNS int LANGUAGE sql IMMUTABLE
    RETURN x * 2;
