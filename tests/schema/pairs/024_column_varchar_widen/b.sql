-- columns: varchar(20)->varchar(50) under a unique index, char(2)->char(3), numeric(8,2)->numeric(12,4)
CREATE TABLE public.people (id int PRIMARY KEY, code varchar(50) NOT NULL, short char(3), amount numeric(12,4));
CREATE UNIQUE INDEX people_code_key ON public.people (code);
