CREATE TABLE public.users (id int PRIMARY KEY, email text, handle text, tenant int, CONSTRAINT users_handle_key UNIQUE (handle));
