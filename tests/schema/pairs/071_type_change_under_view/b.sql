-- dependencies: column types changed under dependent views (views dropped, column altered, views re-created with their comment)
CREATE TABLE public.orders (id int PRIMARY KEY, amount bigint, note text);
CREATE VIEW public.v_orders AS SELECT id, amount, note FROM public.orders;
CREATE VIEW public.v_totals AS SELECT sum(amount) AS total FROM public.v_orders;
COMMENT ON VIEW public.v_orders IS 'kept across the rebuild';
