CREATE TABLE public.orders (id int PRIMARY KEY, customer text, total numeric, placed_on date);
CREATE VIEW public.v_orders AS SELECT id, customer, total FROM public.orders;
CREATE VIEW public.v_big_orders AS SELECT id, customer FROM public.v_orders WHERE total > 100;
CREATE VIEW public.v_big_customers AS SELECT DISTINCT customer FROM public.v_big_orders;
