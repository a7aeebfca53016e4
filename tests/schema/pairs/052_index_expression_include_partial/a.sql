CREATE TABLE public.users (id int PRIMARY KEY, email text, name text, deleted_at timestamptz, score int);
