CREATE TABLE public.users (id int PRIMARY KEY, name text, legacy text);
CREATE VIEW public.v_legacy AS SELECT id, legacy FROM public.users;
CREATE VIEW public.v_names AS SELECT id, name FROM public.users;
