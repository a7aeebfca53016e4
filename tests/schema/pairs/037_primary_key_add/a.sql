CREATE TABLE public.a (id int NOT NULL, v text);
CREATE TABLE public.b (x int NOT NULL, y int NOT NULL);
