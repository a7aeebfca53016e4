-- procedures: body changed, a plpgsql procedure with INOUT parameter and transaction control added
CREATE TABLE public.audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, msg text);
CREATE PROCEDURE public.log_msg(m text) LANGUAGE sql AS $$ INSERT INTO public.audit (msg) VALUES (upper(m)) $$;
CREATE PROCEDURE public.purge(INOUT deleted int DEFAULT 0) LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM public.audit WHERE msg IS NULL;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    COMMIT;
END;
$$;
