CREATE TABLE public.users (id int PRIMARY KEY, name text, email text, active boolean);
CREATE VIEW public.active_users AS SELECT id, name FROM public.users WHERE active;
