-- tables: UNLOGGED toggled both ways (SET LOGGED / SET UNLOGGED), storage parameter set
CREATE TABLE public.cache (k text PRIMARY KEY, v text);
CREATE UNLOGGED TABLE public.log (id int PRIMARY KEY, msg text) WITH (fillfactor = 70);
