CREATE TABLE public.people (id int PRIMARY KEY, age int, CONSTRAINT people_age_check CHECK (age >= 0));
