CREATE TABLE public.users (id int PRIMARY KEY, name text, legacy_flag boolean DEFAULT false, age int CHECK (age >= 0), nickname text);
CREATE INDEX users_nickname_idx ON public.users (nickname);
