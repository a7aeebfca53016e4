-- triggers: BEFORE row trigger, AFTER statement trigger, INSERT OR UPDATE OF a column, trigger arguments, constraint trigger
CREATE TABLE public.items (id int PRIMARY KEY, name text, updated_at timestamptz);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
CREATE FUNCTION public.noop() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NULL;
END;
$$;
CREATE TRIGGER items_touch BEFORE INSERT OR UPDATE OF name ON public.items FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE TRIGGER items_after AFTER DELETE OR TRUNCATE ON public.items FOR EACH STATEMENT EXECUTE FUNCTION public.noop('a', 'b c');
CREATE CONSTRAINT TRIGGER items_check AFTER INSERT ON public.items DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.noop();
