-- columns: varchar(100)->text keeping its default, varchar->text, timestamp->timestamptz
CREATE TABLE public.notes (id int PRIMARY KEY, title text NOT NULL DEFAULT 'untitled', body text, ts timestamptz);
