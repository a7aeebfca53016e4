CREATE TABLE public.sales (id int PRIMARY KEY, region text, amount numeric, sold_on date);
