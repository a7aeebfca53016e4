-- triggers: WHEN clause added and timing changed (drop and create), a trigger dropped, transition tables, a disabled trigger
CREATE TABLE public.accounts (id int PRIMARY KEY, balance numeric, frozen boolean DEFAULT false);
CREATE FUNCTION public.guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;
CREATE FUNCTION public.stmt_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END; $$;
CREATE TRIGGER accounts_guard BEFORE UPDATE ON public.accounts FOR EACH ROW WHEN (OLD.balance IS DISTINCT FROM NEW.balance AND NOT NEW.frozen) EXECUTE FUNCTION public.guard();
CREATE TRIGGER accounts_batch AFTER UPDATE ON public.accounts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.stmt_audit();
CREATE TRIGGER accounts_off AFTER INSERT ON public.accounts FOR EACH ROW EXECUTE FUNCTION public.guard();
ALTER TABLE public.accounts DISABLE TRIGGER accounts_off;
