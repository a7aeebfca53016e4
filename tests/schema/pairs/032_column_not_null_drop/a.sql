CREATE TABLE public.accounts (id int PRIMARY KEY, email text NOT NULL, name text NOT NULL);
