CREATE TABLE public.users (id int PRIMARY KEY, name text);
