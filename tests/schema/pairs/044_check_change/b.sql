-- constraints: a check constraint's expression changed under the same name
CREATE TABLE public.people (id int PRIMARY KEY, age int, CONSTRAINT people_age_check CHECK (age >= 0 AND age < 150));
