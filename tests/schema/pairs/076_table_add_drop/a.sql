CREATE TABLE public.old_a (id int PRIMARY KEY, v text);
CREATE TABLE public.old_b (id int PRIMARY KEY, a_id int REFERENCES public.old_a (id));
CREATE TABLE public.stays (id int PRIMARY KEY);
