-- triggers: the trigger's function body changes (CREATE OR REPLACE FUNCTION; trigger stays) and the trigger moves to a new function
CREATE TABLE public.docs (id int PRIMARY KEY, body text, version int NOT NULL DEFAULT 1);
CREATE FUNCTION public.bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.body IS DISTINCT FROM OLD.body THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END;
$$;
CREATE FUNCTION public.bump_version_v2() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := coalesce(OLD.version, 0) + 1;
    RETURN NEW;
END;
$$;
CREATE TRIGGER docs_bump BEFORE UPDATE ON public.docs FOR EACH ROW EXECUTE FUNCTION public.bump_version_v2();
CREATE TRIGGER docs_bump_old BEFORE INSERT ON public.docs FOR EACH ROW EXECUTE FUNCTION public.bump_version();
