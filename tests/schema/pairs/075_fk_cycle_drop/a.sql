CREATE TABLE public.chicken (id int PRIMARY KEY, egg_id int);
CREATE TABLE public.egg (id int PRIMARY KEY, chicken_id int REFERENCES public.chicken (id));
ALTER TABLE public.chicken ADD CONSTRAINT chicken_egg_fkey FOREIGN KEY (egg_id) REFERENCES public.egg (id);
CREATE TABLE public.keep (id int PRIMARY KEY);
