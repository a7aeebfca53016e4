-- columns: columns dropped, including one with a check constraint and one with an index; down re-adds them at the end
CREATE TABLE public.users (id int PRIMARY KEY, name text);
