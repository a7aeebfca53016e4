CREATE TABLE public.people (id int PRIMARY KEY, code varchar(20) NOT NULL, short char(2), amount numeric(8,2));
CREATE UNIQUE INDEX people_code_key ON public.people (code);
