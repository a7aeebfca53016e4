CREATE TABLE public.notes (id int PRIMARY KEY, title varchar(100) NOT NULL DEFAULT 'untitled', body varchar, ts timestamp);
