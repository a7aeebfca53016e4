-- functions: body of a function used by a check constraint changes in place; a new function used by a policy and a default
CREATE FUNCTION public.is_valid_code(c text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT c ~ '^[A-Z0-9]+$' $$;
CREATE FUNCTION public.me() RETURNS name LANGUAGE sql STABLE AS $$ SELECT current_user $$;
CREATE TABLE public.codes (id int PRIMARY KEY, code text, CONSTRAINT codes_code_check CHECK (public.is_valid_code(code)), owner name DEFAULT public.me());
ALTER TABLE public.codes ENABLE ROW LEVEL SECURITY;
CREATE POLICY codes_mine ON public.codes USING (owner = public.me());
