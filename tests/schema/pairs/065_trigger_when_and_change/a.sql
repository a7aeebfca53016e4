CREATE TABLE public.accounts (id int PRIMARY KEY, balance numeric, frozen boolean DEFAULT false);
CREATE FUNCTION public.guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;
CREATE TRIGGER accounts_guard BEFORE UPDATE ON public.accounts FOR EACH ROW EXECUTE FUNCTION public.guard();
CREATE TRIGGER accounts_old AFTER INSERT ON public.accounts FOR EACH ROW EXECUTE FUNCTION public.guard();
