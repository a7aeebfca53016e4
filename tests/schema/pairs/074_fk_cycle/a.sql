CREATE TABLE public.departments (id int PRIMARY KEY, name text);
CREATE TABLE public.employees (id int PRIMARY KEY, name text);
