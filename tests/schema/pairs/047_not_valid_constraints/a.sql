CREATE TABLE public.customers (id int PRIMARY KEY);
CREATE TABLE public.orders (id int PRIMARY KEY, customer_id int, total numeric);
