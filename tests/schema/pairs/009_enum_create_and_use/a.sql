CREATE TABLE public.orders (id int PRIMARY KEY, note text);
