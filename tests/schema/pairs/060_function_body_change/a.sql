CREATE FUNCTION public.add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE FUNCTION public.greet(who text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN 'hello ' || who;
END;
$$;
CREATE FUNCTION public.old_helper() RETURNS void LANGUAGE sql AS $$ SELECT 1 $$;
