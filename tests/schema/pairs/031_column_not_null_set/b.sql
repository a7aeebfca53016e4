-- columns: NOT NULL set on several columns
CREATE TABLE public.accounts (id int PRIMARY KEY, email text NOT NULL, name text NOT NULL, plan text NOT NULL DEFAULT 'free');
