-- enum: a value added at the end (ALTER TYPE ... ADD VALUE)
CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE public.people (id int PRIMARY KEY, mood public.mood NOT NULL DEFAULT 'ok');
