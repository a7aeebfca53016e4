-- columns: defaults changed
CREATE TABLE public.settings (id int PRIMARY KEY, enabled boolean DEFAULT false, level int DEFAULT 10, stamp timestamptz DEFAULT clock_timestamp());
