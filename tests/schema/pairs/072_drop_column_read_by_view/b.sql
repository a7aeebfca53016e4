-- dependencies: a column dropped together with the view reading it; the other view stays
CREATE TABLE public.users (id int PRIMARY KEY, name text);
CREATE VIEW public.v_names AS SELECT id, name FROM public.users;
