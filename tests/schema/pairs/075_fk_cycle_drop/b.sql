-- dependencies: both tables of a foreign key cycle dropped (down must re-create them and then the cycle)
CREATE TABLE public.keep (id int PRIMARY KEY);
