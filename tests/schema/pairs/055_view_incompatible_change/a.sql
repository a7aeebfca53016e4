CREATE TABLE public.users (id int PRIMARY KEY, name text, email text, age int);
CREATE VIEW public.v_users AS SELECT id, name, email FROM public.users;
CREATE VIEW public.v_ages AS SELECT id, age FROM public.users;
