CREATE UNLOGGED TABLE public.cache (k text PRIMARY KEY, v text);
CREATE TABLE public.log (id int PRIMARY KEY, msg text);
