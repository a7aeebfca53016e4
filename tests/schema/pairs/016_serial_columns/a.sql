CREATE TABLE public.events (name text);
