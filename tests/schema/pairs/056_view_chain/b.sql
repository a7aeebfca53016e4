-- views: view on view on view; the base view changes incompatibly so the whole chain is dropped and re-created in order
CREATE TABLE public.orders (id int PRIMARY KEY, customer text, total numeric, placed_on date);
CREATE VIEW public.v_orders AS SELECT id, upper(customer) AS customer, total::float8 AS total, placed_on FROM public.orders;
CREATE VIEW public.v_big_orders AS SELECT id, customer FROM public.v_orders WHERE total > 100;
CREATE VIEW public.v_big_customers AS SELECT DISTINCT customer FROM public.v_big_orders;
