CREATE TABLE public.a (id int NOT NULL, v text);
CREATE TABLE public.b (id bigint NOT NULL, v text);
