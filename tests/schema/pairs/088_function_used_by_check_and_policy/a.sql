CREATE FUNCTION public.is_valid_code(c text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT c ~ '^[A-Z]+$' $$;
CREATE TABLE public.codes (id int PRIMARY KEY, code text, CONSTRAINT codes_code_check CHECK (public.is_valid_code(code)));
