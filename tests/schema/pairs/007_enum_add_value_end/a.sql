CREATE TYPE public.mood AS ENUM ('sad', 'ok');
CREATE TABLE public.people (id int PRIMARY KEY, mood public.mood NOT NULL DEFAULT 'ok');
