-- columns: NOT NULL dropped
CREATE TABLE public.accounts (id int PRIMARY KEY, email text, name text NOT NULL);
