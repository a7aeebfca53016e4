CREATE TABLE public.accounts (id int PRIMARY KEY, email text, name text, plan text DEFAULT 'free');
