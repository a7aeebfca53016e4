CREATE TABLE public.docs (id int PRIMARY KEY, body text, version int NOT NULL DEFAULT 1);
CREATE FUNCTION public.bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END;
$$;
CREATE TRIGGER docs_bump BEFORE UPDATE ON public.docs FOR EACH ROW EXECUTE FUNCTION public.bump_version();
