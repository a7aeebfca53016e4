CREATE TABLE public.settings (id int PRIMARY KEY, enabled boolean DEFAULT true, level int DEFAULT 5, name text DEFAULT 'x');
