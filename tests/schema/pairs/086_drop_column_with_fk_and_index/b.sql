-- dependencies: a column dropped that carries a foreign key, a multi-column unique constraint and a partial index (down re-creates them)
CREATE TABLE public.owners (id int PRIMARY KEY);
CREATE TABLE public.pets (id int PRIMARY KEY, name text);
