-- columns: defaults dropped
CREATE TABLE public.settings (id int PRIMARY KEY, enabled boolean, level int, name text DEFAULT 'x');
