-- dependencies: a foreign key cycle between two tables (each references the other), plus new tables in a cycle
CREATE TABLE public.departments (id int PRIMARY KEY, name text, manager_id int);
CREATE TABLE public.employees (id int PRIMARY KEY, name text, department_id int REFERENCES public.departments (id));
ALTER TABLE public.departments ADD CONSTRAINT departments_manager_fkey FOREIGN KEY (manager_id) REFERENCES public.employees (id) DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE public.chicken (id int PRIMARY KEY, egg_id int);
CREATE TABLE public.egg (id int PRIMARY KEY, chicken_id int REFERENCES public.chicken (id));
ALTER TABLE public.chicken ADD CONSTRAINT chicken_egg_fkey FOREIGN KEY (egg_id) REFERENCES public.egg (id);
